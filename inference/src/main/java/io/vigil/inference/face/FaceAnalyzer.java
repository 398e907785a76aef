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

    /** Faces of each image, in the order of the images. */
    public List<List<Face>> analyze(List<Mat> images) {
        try (PointerScope scope = new PointerScope()) {
            long t0 = System.nanoTime();
            List<List<Detection>> detections = detector.detect(images);
            long t1 = System.nanoTime();
            listener.step("detect", t1 - t0, images.size());

            List<Landmarker.Target> targets = new ArrayList<>();
            List<int[]> owners = new ArrayList<>(); // {image, detection index}
            for (int i = 0; i < images.size(); i++) {
                List<Detection> ds = detections.get(i);
                for (int d = 0; d < ds.size(); d++) {
                    Detection det = ds.get(d);
                    if (Math.min(det.box().width(), det.box().height()) < settings.minFaceSize()) {
                        listener.rejected(TOO_SMALL);
                    } else if (det.score() < settings.minScore()) {
                        listener.rejected(LOW_SCORE);
                    } else {
                        targets.add(new Landmarker.Target(images.get(i), det.box()));
                        owners.add(new int[] {i, d});
                    }
                }
            }
            float[][] points = landmarker.fivePoints(targets);
            long t2 = System.nanoTime();
            listener.step("landmarks", t2 - t1, targets.size());

            List<Mat> aligned = new ArrayList<>();
            List<Integer> keep = new ArrayList<>();
            for (int k = 0; k < targets.size(); k++) {
                Mat face = Alignment.align(targets.get(k).image(), points[k]);
                if (sharpness(face) < settings.minSharpness()) {
                    listener.rejected(BLURRY);
                    continue;
                }
                aligned.add(face);
                keep.add(k);
            }
            long t3 = System.nanoTime();
            listener.step("align", t3 - t2, targets.size());

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
                int[] owner = owners.get(k);
                Detection det = detections.get(owner[0]).get(owner[1]);
                byte[] thumb = thumbnail(images.get(owner[0]), det.box());
                out.get(owner[0]).add(new Face(det.box(), points[k], det.score(), embeddings[j].unit(), thumb));
            }
            listener.step("thumbnail", System.nanoTime() - t4, keep.size());
            return out;
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
