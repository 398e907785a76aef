package io.vigil.inference.face;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.inference.model.Device;
import io.vigil.inference.model.ModelSource;
import io.vigil.inference.model.OnnxModel;
import io.vigil.inference.model.SessionSettings;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Frames in, faces out: detect (with tiling), gate, landmarks, align, embed, thumbnail; each model step batched
 * across every frame and face of the call. Not thread-safe: one analyzer per worker thread.
 */
public final class FaceAnalyzer implements AutoCloseable {
    private final OnnxModel detectorModel;
    private final OnnxModel landmarkModel;
    private final OnnxModel embedderModel;
    private final FaceDetector detector;
    private final Landmarker landmarker;
    private final Embedder embedder;
    private final AnalyzerSettings settings;
    private final Listener listener;

    /** Observes the pipeline: per-step durations and quality-gate rejections. */
    /** Why a detection was not embedded, one reason per quality gate: the {@code reason} tag of the metric. */
    public static final String TOO_SMALL = "too-small";

    public static final String LOW_SCORE = "low-score";
    public static final String BLURRY = "blurry";
    public static final String NOT_A_FACE = "not-a-face";
    public static final List<String> REJECTIONS = List.of(TOO_SMALL, LOW_SCORE, BLURRY, NOT_A_FACE);

    public interface Listener {
        Listener NONE = new Listener() {};

        default void step(String step, long nanos, int items) {}

        default void rejected(String reason) {}

        /** Detector runs (areas and tiles) of one detect call. */
        default void detectorRuns(int regions) {}
    }

    public FaceAnalyzer(
            ModelSource detector,
            ModelSource landmarks,
            ModelSource embedder,
            SessionSettings session,
            Tiling tiling,
            float detectionThreshold,
            int maxBatch,
            AnalyzerSettings settings,
            Listener listener) {
        this.detectorModel = new OnnxModel(detector, session);
        this.landmarkModel = new OnnxModel(landmarks, session);
        this.embedderModel = new OnnxModel(embedder, session);
        this.detector = new FaceDetector(detectorModel, tiling, detectionThreshold, 0.3f, maxBatch);
        this.landmarker = new Landmarker(landmarkModel, maxBatch);
        this.embedder = new Embedder(embedderModel, maxBatch);
        this.settings = settings;
        this.listener = listener;
    }

    /** The bundled models on CPU with default settings: for commands and tests. */
    public static FaceAnalyzer bundled(Tiling tiling) {
        return new FaceAnalyzer(
                ModelSource.DETECTOR,
                ModelSource.LANDMARKS,
                ModelSource.EMBEDDER,
                SessionSettings.CPU_DEFAULT,
                tiling,
                0.6f,
                32,
                AnalyzerSettings.DEFAULT,
                Listener.NONE);
    }

    public Device device() {
        return embedderModel.device();
    }

    /** The {@link io.vigil.api.face.EmbedderModel} identity of the embedder: what every embedding made here carries. */
    public String embedderModel() {
        return embedderModel.identity();
    }

    /** Faces of each image, in the order of the images: every face found anywhere in them, untracked. */
    public List<List<Face>> analyze(List<Mat> images) {
        List<List<Detection>> found = detect(images, Collections.nCopies(images.size(), null));
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            for (Detection d : found.get(i)) {
                targets.add(new Target(i, d, Face.NO_TRACK));
            }
        }
        return describe(images, targets);
    }

    /** One detection to describe: its image (index), the detection, and its track (or {@link Face#NO_TRACK}). */
    public record Target(int image, Detection detection, long trackId) {}

    /**
     * The detections in each image's areas ({x, y, w, h}; null = the whole image) that pass the size and score
     * gates (the others are counted as rejected), best first.
     */
    public List<List<Detection>> detect(List<Mat> images, List<List<int[]>> areas) {
        long t0 = System.nanoTime();
        List<List<Detection>> detections = detector.detect(images, areas);
        listener.step("detect", System.nanoTime() - t0, images.size());
        listener.detectorRuns(detector.lastRegions());
        List<List<Detection>> out = new ArrayList<>();
        for (List<Detection> ds : detections) {
            List<Detection> kept = new ArrayList<>();
            for (Detection det : ds) {
                if (Math.min(det.box().width(), det.box().height()) < settings.minFaceSize()) {
                    listener.rejected(TOO_SMALL);
                } else if (det.score() < settings.minScore()) {
                    listener.rejected(LOW_SCORE);
                } else {
                    kept.add(det);
                }
            }
            out.add(kept);
        }
        return out;
    }

    /**
     * Landmarks, alignment, the sharpness gate, embedding, the norm gate and a thumbnail, each step batched across
     * the targets; the faces of each image, in the order of the images.
     */
    public List<List<Face>> describe(List<Mat> images, List<Target> targets) {
        try (PointerScope scope = new PointerScope()) {
            long t1 = System.nanoTime();
            List<Landmarker.Target> marks = new ArrayList<>();
            for (Target t : targets) {
                marks.add(new Landmarker.Target(
                        images.get(t.image()), t.detection().box()));
            }
            float[][] points = landmarker.fivePoints(marks);
            long t2 = System.nanoTime();
            listener.step("landmarks", t2 - t1, marks.size());

            List<Mat> aligned = new ArrayList<>();
            List<Integer> keep = new ArrayList<>();
            for (int k = 0; k < marks.size(); k++) {
                Mat face = Alignment.align(marks.get(k).image(), points[k]);
                if (sharpness(face) < settings.minSharpness()) {
                    listener.rejected(BLURRY);
                    continue;
                }
                aligned.add(face);
                keep.add(k);
            }
            long t3 = System.nanoTime();
            listener.step("align", t3 - t2, marks.size());

            Embedder.Embedding[] embeddings = embedder.embed(aligned);
            long t4 = System.nanoTime();
            listener.step("embed", t4 - t3, aligned.size());

            List<List<Face>> out = new ArrayList<>();
            images.forEach(m -> out.add(new ArrayList<>()));
            for (int j = 0; j < keep.size(); j++) {
                if (embeddings[j].norm() < settings.minEmbeddingNorm()) {
                    listener.rejected(NOT_A_FACE);
                    continue;
                }
                int k = keep.get(j);
                Target t = targets.get(k);
                Detection det = t.detection();
                byte[] thumb = thumbnail(images.get(t.image()), det.box());
                out.get(t.image())
                        .add(new Face(det.box(), points[k], det.score(), embeddings[j].unit(), thumb, t.trackId()));
            }
            listener.step("thumbnail", System.nanoTime() - t4, keep.size());
            return out;
        }
    }

    /** Variance of the Laplacian of a detection's crop, shrunk to 64x64 and grey: how sharp the view is, cheaply. */
    public static double boxSharpness(Mat image, FaceBox box) {
        try (Mat crop = Images.crop(
                        image, Math.round(box.x1()), Math.round(box.y1()), Math.round(box.x2()), Math.round(box.y2()));
                Mat small = Images.resized(crop, 64, 64)) {
            return sharpness(small);
        }
    }

    /** Variance of the Laplacian of the grey face: low means blurry. */
    static double sharpness(Mat face) {
        try (Mat grey = new Mat();
                Mat lap = new Mat();
                Mat mean = new Mat();
                Mat std = new Mat()) {
            cvtColor(face, grey, COLOR_BGR2GRAY);
            Laplacian(grey, lap, CV_64F);
            meanStdDev(lap, mean, std);
            double s = std.createIndexer().getDouble(0);
            return s * s;
        }
    }

    private byte[] thumbnail(Mat image, FaceBox box) {
        float padW = box.width() * 0.2f;
        float padH = box.height() * 0.2f;
        try (Mat crop = Images.crop(
                image,
                Math.round(box.x1() - padW),
                Math.round(box.y1() - padH),
                Math.round(box.x2() + padW),
                Math.round(box.y2() + padH))) {
            int h = Math.min(settings.thumbnailHeight(), crop.rows());
            int w = Math.max(1, Math.round((float) crop.cols() * h / crop.rows()));
            try (Mat small = Images.resized(crop, w, h)) {
                return Images.encodeJpeg(small, settings.thumbnailQuality());
            }
        }
    }

    @Override
    public void close() {
        detectorModel.close();
        landmarkModel.close();
        embedderModel.close();
    }
}
