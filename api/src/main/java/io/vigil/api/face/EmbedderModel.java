package io.vigil.api.face;

import java.util.regex.Pattern;

/**
 * Which embedder made an embedding: {@code sha256:} and the lowercase hex SHA-256 of the model file, so two files can
 * never share an identity by accident. Embeddings of two models are not comparable (the same face lands in unrelated
 * places), so faces and watchlist entries carry it, and the matcher compares only those of the model it is set to.
 */
public final class EmbedderModel {
    /** The embedder bundled with Vigil (models/fr_feature.onnx), the identity of entries and faces that name none. */
    public static final String BUNDLED = "sha256:87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581";

    private static final Pattern FORM = Pattern.compile("sha256:[0-9a-f]{64}");

    private EmbedderModel() {}

    /** The identity of a model file with this SHA-256 (hex, either case). */
    public static String ofSha256(String hex) {
        return require("model digest", "sha256:" + hex.toLowerCase(java.util.Locale.ROOT));
    }

    /** Why {@code id} is not a model identity, or null when it is. */
    public static String problem(String what, String id) {
        if (id == null || !FORM.matcher(id).matches()) {
            return what + " must be 'sha256:' and 64 lowercase hex digits (the model file's SHA-256), not '" + shown(id)
                    + "'";
        }
        return null;
    }

    /** What a refusal may echo of a stranger's value: at most 80 characters, anything unusual as '?'. */
    private static String shown(String id) {
        if (id == null) {
            return "";
        }
        String cut = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return cut.replaceAll("[^A-Za-z0-9:._-]", "?");
    }

    /** {@code id}, when it is a model identity; else an {@link IllegalArgumentException} with the reason. */
    public static String require(String what, String id) {
        String p = problem(what, id);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return id;
    }

    /** The identity an entry or face stands for: its own, or the bundled model's when it names none (older data). */
    public static String effective(String id) {
        return id == null ? BUNDLED : id;
    }
}
