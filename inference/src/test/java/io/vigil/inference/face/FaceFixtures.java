package io.vigil.inference.face;

import io.vigil.api.face.FaceBox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The real photographs under src/test/resources/faces (provenance in its README). */
public final class FaceFixtures {
    private FaceFixtures() {}

    public static byte[] bytes(String path) {
        try (InputStream in = FaceFixtures.class.getResourceAsStream("/faces/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path path(String path) {
        try {
            return Path.of(FaceFixtures.class.getResource("/faces/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** johns-dev: person name to the paths of their photos, sorted. */
    public static Map<String, List<String>> people() {
        Map<String, List<String>> out = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(path("johns-dev"))) {
            for (Path dir : dirs.sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    out.put(
                            dir.getFileName().toString(),
                            files.sorted()
                                    .map(f -> "johns-dev/" + dir.getFileName() + "/" + f.getFileName())
                                    .toList());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The Solvay photo's 30 ground-truth boxes; the file lists corners as "row column". */
    public static List<FaceBox> solvayTruth() {
        List<String> lines = new String(bytes("misc/ground_truth_detection.txt"), StandardCharsets.UTF_8)
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty())
                .toList();
        List<FaceBox> boxes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 5) {
            float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = 0, maxY = 0;
            for (int k = 1; k <= 4; k++) {
                String[] p = lines.get(i + k).split("\\s+");
                float row = Float.parseFloat(p[0]);
                float col = Float.parseFloat(p[1]);
                minX = Math.min(minX, col);
                maxX = Math.max(maxX, col);
                minY = Math.min(minY, row);
                maxY = Math.max(maxY, row);
            }
            boxes.add(new FaceBox(minX, minY, maxX, maxY));
        }
        return boxes;
    }
}
