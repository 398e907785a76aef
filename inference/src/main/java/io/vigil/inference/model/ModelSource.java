package io.vigil.inference.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a model's bytes come from (a file, or the copy bundled in the jar) and the SHA-256 they must have.
 *
 * @param name     detector, landmarks or embedder, for messages
 * @param location a file path, or {@code classpath:/models/...}
 * @param sha256   expected lowercase hex digest; null skips the check (operator-supplied model without a digest)
 */
public record ModelSource(String name, String location, String sha256) {
    public static final ModelSource DETECTOR =
            bundled("detector", "fr_detect.onnx", "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854");
    public static final ModelSource LANDMARKS = bundled(
            "landmarks", "fr_landmark.onnx", "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258");
    public static final ModelSource EMBEDDER =
            bundled("embedder", "fr_feature.onnx", "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581");
    private static final String CLASSPATH = "classpath:";

    private static ModelSource bundled(String name, String file, String sha) {
        return new ModelSource(name, CLASSPATH + "/models/" + file, sha);
    }

    /** Reads the bytes and verifies the checksum. */
    public byte[] load() {
        byte[] bytes;
        try {
            if (location.startsWith(CLASSPATH)) {
                try (InputStream in = ModelSource.class.getResourceAsStream(location.substring(CLASSPATH.length()))) {
                    if (in == null) {
                        throw new ModelException("the bundled " + name + " model " + location
                                + " is missing from the jar; rebuild Vigil");
                    }
                    bytes = in.readAllBytes();
                }
            } else {
                bytes = Files.readAllBytes(Path.of(location));
            }
        } catch (IOException e) {
            throw new ModelException(
                    "cannot read the " + name + " model at " + location + " (" + e + "); check the path", e);
        }
        if (sha256 != null) {
            String actual = sha256(bytes);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new ModelException("the " + name + " model at " + location + " has SHA-256 " + actual
                        + " but " + sha256 + " was expected; the file is corrupt or not the model configured"
                        + " (set the model's _SHA256 setting to the new digest if you replaced it on purpose)");
            }
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
