package io.vigil.app.enrol;

import io.vigil.api.Ids;
import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.UserException;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.CorruptImageException;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Images;
import io.vigil.inference.face.JpegHeader;
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

    /**
     * One enrolled photo: the face's embedding, and the face with a margin around it as a small JPEG, kept so that
     * the person can be embedded again when the embedder changes.
     */
    public record Enrolled(float[] embedding, byte[] photo) {}

    /** Longest side of a kept photo: the face fills about half of it. */
    static final int KEPT_SIDE = 400;

    /** The one face in {@code image} (with {@code largest}, the largest of several): its embedding and photo. */
    public Enrolled enrol(Path image, boolean largest) {
        try (Mat m = read(image)) {
            Face face = face(m, image.toString(), largest);
            return new Enrolled(face.embedding(), keep(m, face.box()));
        }
    }

    /** The embedding of the one face in {@code image}; with {@code largest}, of the largest of several. */
    public float[] embed(Path image, boolean largest) {
        try (Mat m = read(image)) {
            return face(m, image.toString(), largest).embedding();
        }
    }

    /** The embedding of the largest face in a kept photo, by the embedder in use; {@code what} names it in errors. */
    public float[] embedKept(byte[] photo, String what) {
        Mat m;
        try {
            // read from a topic: its header is checked before any pixel is decoded (a small file can claim a
            // huge picture), and a kept photo is never larger than KEPT_SIDE a side
            JpegHeader header = JpegHeader.read(photo);
            if (header.width() > KEPT_SIDE || header.height() > KEPT_SIDE) {
                throw new UserException(what + " claims " + header.width() + "x" + header.height()
                        + " pixels; kept photos are at most " + KEPT_SIDE + " a side, so it was not written by"
                        + " enrolment: enrol the person again with watchlist add");
            }
            m = Images.decode(photo);
        } catch (CorruptImageException e) {
            throw new UserException(what + " is not an image OpenCV can read: " + e.getMessage());
        }
        try (m) {
            return face(m, what, true).embedding();
        }
    }

    private Face face(Mat image, String what, boolean largest) {
        List<Face> faces = faces(image);
        if (faces.isEmpty()) {
            throw new UserException(what + ": " + noFaceReason());
        }
        if (faces.size() > 1 && !largest) {
            throw new UserException(what + ": " + faces.size() + " faces found; crop the photo to one person,"
                    + " or pass --largest to enrol the largest face");
        }
        return largest(faces);
    }

    /** The largest of some faces, by box area. */
    static Face largest(List<Face> faces) {
        return faces.stream()
                .max(Comparator.comparingDouble(f -> f.box().area()))
                .orElseThrow();
    }

    /** The usable faces of {@code image}: those that pass the detector's and the quality gates. */
    List<Face> faces(Mat image) {
        rejections.clear();
        return analyzer.analyze(List.of(image)).get(0);
    }

    /** Why the last {@link #faces} call found no usable face, naming the fix. */
    String noFaceReason() {
        if (rejections.contains(FaceAnalyzer.TOO_SMALL)) {
            return "the face is too small (under " + config.quality().minFaceSize()
                    + " px); use a closer photo, or lower VIGIL_INFERENCE_MIN_FACE";
        }
        if (!rejections.isEmpty()) {
            return "no usable face (rejected as " + String.join(", ", new java.util.TreeSet<>(rejections))
                    + "); use a sharp, frontal photo";
        }
        return "no face found; use a photo where the face is clearly visible";
    }

    /** The face with its own size of margin on every side (clipped to the image), at most 400 pixels a side. */
    static byte[] keep(Mat image, FaceBox box) {
        float side = 2 * Math.max(box.width(), box.height());
        float cx = (box.x1() + box.x2()) / 2;
        float cy = (box.y1() + box.y2()) / 2;
        try (Mat crop = Images.crop(
                image,
                Math.round(cx - side / 2),
                Math.round(cy - side / 2),
                Math.round(cx + side / 2),
                Math.round(cy + side / 2))) {
            double scale = Math.min(1.0, (double) KEPT_SIDE / Math.max(crop.cols(), crop.rows()));
            if (scale >= 1.0) {
                return Images.encodeJpeg(crop, 90);
            }
            try (Mat small = Images.resized(crop, Math.max(1, (int) Math.round(crop.cols() * scale)), Math.max(1, (int)
                    Math.round(crop.rows() * scale)))) {
                return Images.encodeJpeg(small, 90);
            }
        }
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
    public Optional<Enrolment> entry(Path person, boolean largest, Map<String, String> metadata, List<String> problems)
            throws IOException {
        String id = person.getFileName().toString();
        String idProblem = Ids.problem("person id", id);
        if (idProblem != null) {
            problems.add(id + ": " + idProblem + " (rename the folder)");
            return Optional.empty();
        }
        List<Enrolled> enrolled = new ArrayList<>();
        List<Path> photos;
        try (Stream<Path> l = Files.list(person)) {
            photos = l.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path photo : photos) {
            try {
                enrolled.add(enrol(photo, largest));
            } catch (UserException e) {
                problems.add(e.getMessage());
            }
        }
        if (enrolled.isEmpty()) {
            problems.add(id + ": no usable photo, not enrolled");
            return Optional.empty();
        }
        return Optional.of(enrolment(id, id.replace('_', ' '), null, metadata, enrolled));
    }

    /** What enrolling a person writes: their watchlist entry, and the photos it was made from. */
    public record Enrolment(WatchlistEntry entry, EnrolmentPhotos photos) {}

    /** The entry and kept photos of a person enrolled from {@code enrolled}, by this embedder, now. */
    public Enrolment enrolment(
            String id, String name, Double threshold, Map<String, String> metadata, List<Enrolled> enrolled) {
        long now = System.currentTimeMillis();
        return new Enrolment(
                new WatchlistEntry(
                        id,
                        name,
                        enrolled.stream().map(Enrolled::embedding).toList(),
                        threshold,
                        metadata,
                        now,
                        model()),
                new EnrolmentPhotos(id, enrolled.stream().map(Enrolled::photo).toList(), now));
    }

    /** The identity of the embedder, which the entries made here record. */
    public String model() {
        return analyzer.embedderModel();
    }

    /** An image file as a BGR image, or a user error naming the file and the problem. */
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
