package io.vigil.app.enrol;

import io.vigil.api.Ids;
import io.vigil.api.face.Face;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.UserException;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.CorruptImageException;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Images;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Turns enrolment photos into embeddings: exactly one usable face per photo, or a reason why not. */
public final class Enroller implements AutoCloseable {
    private final FaceAnalyzer analyzer;
    private final InferenceConfig config;
    private final List<String> rejections = new ArrayList<>();

    public Enroller(InferenceConfig config) {
        this.config = config;
        this.analyzer = config.analyzer(32, new FaceAnalyzer.Listener() {
            @Override
            public void rejected(String reason) {
                rejections.add(reason);
            }
        });
    }

    /** The embedding of the one face in {@code image}; with {@code largest}, of the largest of several. */
    public float[] embed(Path image, boolean largest) {
        rejections.clear();
        List<Face> faces = analyzer.analyze(List.of(read(image))).get(0);
        if (faces.isEmpty()) {
            if (rejections.contains(FaceAnalyzer.TOO_SMALL)) {
                throw new UserException(image + ": the face is too small (under "
                        + config.quality().minFaceSize()
                        + " px); use a closer photo, or lower VIGIL_INFERENCE_MIN_FACE");
            }
            if (!rejections.isEmpty()) {
                throw new UserException(image + ": no usable face (rejected as " + String.join(", ", rejections)
                        + "); use a sharp, frontal photo");
            }
            throw new UserException(image + ": no face found; use a photo where the face is clearly visible");
        }
        if (faces.size() > 1 && !largest) {
            throw new UserException(image + ": " + faces.size() + " faces found; crop the photo to one person,"
                    + " or pass --largest to enrol the largest face");
        }
        return faces.stream()
                .max(Comparator.comparingDouble(f -> f.box().area()))
                .orElseThrow()
                .embedding();
    }

    /** The embeddings of every usable face in {@code image} (none when there is none). */
    public List<float[]> embedAll(Path image) {
        return analyzer.analyze(List.of(read(image))).get(0).stream()
                .map(Face::embedding)
                .toList();
    }

    /** The people of a gallery: one sub-folder of photos per person, sorted by name. */
    public static List<Path> people(Path gallery) throws IOException {
        if (!Files.isDirectory(gallery)) {
            throw new UserException(
                    gallery + " is not a directory; give a folder with one sub-folder of photos per person", 2);
        }
        try (Stream<Path> l = Files.list(gallery)) {
            return l.filter(Files::isDirectory).sorted().toList();
        }
    }

    /**
     * The watchlist entry of one person's folder (id = folder name, display name with '_' as spaces), from every
     * photo that has one usable face; empty, with the reasons added to {@code problems}, when there is none.
     */
    public Optional<WatchlistEntry> entry(
            Path person, boolean largest, Map<String, String> metadata, List<String> problems) throws IOException {
        String id = person.getFileName().toString();
        String idProblem = Ids.problem("person id", id);
        if (idProblem != null) {
            problems.add(id + ": " + idProblem + " (rename the folder)");
            return Optional.empty();
        }
        List<float[]> embeddings = new ArrayList<>();
        List<Path> photos;
        try (Stream<Path> l = Files.list(person)) {
            photos = l.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path photo : photos) {
            try {
                embeddings.add(embed(photo, largest));
            } catch (UserException e) {
                problems.add(e.getMessage());
            }
        }
        if (embeddings.isEmpty()) {
            problems.add(id + ": no usable photo, not enrolled");
            return Optional.empty();
        }
        return Optional.of(new WatchlistEntry(
                id, id.replace('_', ' '), embeddings, null, metadata, System.currentTimeMillis(), model()));
    }

    /** An image file as a BGR image, or a user error naming the file and the problem. */
    /** The identity of the embedder, which the entries made here record. */
    public String model() {
        return analyzer.embedderModel();
    }

    public static Mat read(Path image) {
        try {
            return Images.decode(Files.readAllBytes(image));
        } catch (IOException e) {
            throw new UserException("cannot read " + image + ": " + e.getMessage());
        } catch (CorruptImageException e) {
            throw new UserException(image + " is not an image OpenCV can read (JPEG, PNG, ...): " + e.getMessage());
        }
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
