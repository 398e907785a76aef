package io.vigil.inference;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.vigil.inference.face.AnalyzerSettings;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Tiling;
import io.vigil.inference.model.Device;
import io.vigil.inference.model.ModelSource;
import io.vigil.inference.model.SessionSettings;
import io.vigil.inference.track.FaceTracker;
import io.vigil.inference.track.TrackingSettings;
import io.vigil.runtime.config.ConfigReader;

import java.time.Duration;

/**
 * The inference stage's settings ({@code VIGIL_INFERENCE_*}).
 *
 * @param session         ONNX Runtime device, threads and optimisation
 * @param detector        detector model file and digest
 * @param landmarks       landmark model file and digest
 * @param embedder        embedder model file and digest
 * @param tiling          detection tiling
 * @param detectionThreshold detector score threshold (candidates; the quality gate's minScore decides)
 * @param quality         quality gates and thumbnails
 * @param batchSize       most frames analysed together
 * @param batchWait       longest a frame waits for a batch to fill
 * @param maxFramePixels  larger frames go to the dead-letter topic
 * @param workers         worker threads in this process (each with its own consumer and sessions)
 * @param tracking        motion areas and face tracking: what is examined and what is embedded
 */
public record InferenceConfig(
        SessionSettings session,
        ModelSource detector,
        ModelSource landmarks,
        ModelSource embedder,
        Tiling tiling,
        float detectionThreshold,
        AnalyzerSettings quality,
        int batchSize,
        Duration batchWait,
        long maxFramePixels,
        int workers,
        TrackingSettings tracking) {

    public static InferenceConfig from(ConfigReader r) {
        SessionSettings session = new SessionSettings(
                r.enumValue("VIGIL_INFERENCE_DEVICE", Device.class, Device.CPU),
                r.intValue("VIGIL_INFERENCE_THREADS", 0, 0, 256),
                switch (r.enumValue("VIGIL_INFERENCE_OPTIMIZATION", Level.class, Level.ALL)) {
                    case BASIC -> OptLevel.BASIC_OPT;
                    case EXTENDED -> OptLevel.EXTENDED_OPT;
                    case ALL -> OptLevel.ALL_OPT;
                },
                r.bool("VIGIL_INFERENCE_SPIN", false));
        Tiling tiling = Tiling.AUTO;
        String tiles = r.string("VIGIL_INFERENCE_TILES", "auto");
        try {
            tiling = Tiling.parse(tiles);
        } catch (IllegalArgumentException e) {
            r.problem("VIGIL_INFERENCE_TILES=" + tiles + " is invalid: " + e.getMessage());
        }
        AnalyzerSettings d = AnalyzerSettings.DEFAULT;
        AnalyzerSettings quality = new AnalyzerSettings(
                r.intValue("VIGIL_INFERENCE_MIN_FACE", d.minFaceSize(), 8, 1000),
                (float) r.doubleValue("VIGIL_INFERENCE_MIN_SCORE", d.minScore(), 0, 1),
                r.doubleValue("VIGIL_INFERENCE_MIN_SHARPNESS", d.minSharpness(), 0, 10_000),
                (float) r.doubleValue("VIGIL_INFERENCE_MIN_EMBEDDING_NORM", d.minEmbeddingNorm(), 0, 100),
                r.intValue("VIGIL_INFERENCE_THUMBNAIL_HEIGHT", d.thumbnailHeight(), 32, 512),
                r.intValue("VIGIL_INFERENCE_THUMBNAIL_QUALITY", d.thumbnailQuality(), 10, 100));
        return new InferenceConfig(
                session,
                model(r, "DETECTOR", ModelSource.DETECTOR),
                model(r, "LANDMARK", ModelSource.LANDMARKS),
                model(r, "EMBEDDER", ModelSource.EMBEDDER),
                tiling,
                (float) r.doubleValue("VIGIL_INFERENCE_DETECTION_THRESHOLD", 0.6, 0.05, 1),
                quality,
                r.intValue("VIGIL_INFERENCE_BATCH_SIZE", 8, 1, 256),
                r.duration("VIGIL_INFERENCE_BATCH_WAIT", Duration.ofMillis(20), Duration.ZERO, Duration.ofSeconds(5)),
                r.longValue("VIGIL_INFERENCE_MAX_FRAME_PIXELS", 4096L * 4096, 64L * 64, 16384L * 16384),
                r.intValue("VIGIL_INFERENCE_WORKERS", 1, 1, 64),
                new TrackingSettings(
                        r.bool("VIGIL_INFERENCE_MOTION", true),
                        r.intValue("VIGIL_INFERENCE_MOTION_MARGIN", 1, 0, 8),
                        r.bool("VIGIL_INFERENCE_TRACKING", true),
                        new FaceTracker.Settings(
                                r.duration(
                                                "VIGIL_INFERENCE_TRACK_TTL",
                                                Duration.ofMillis(FaceTracker.Settings.DEFAULT.ttlMs()),
                                                Duration.ofMillis(200),
                                                Duration.ofMinutes(10))
                                        .toMillis(),
                                r.intValue(
                                        "VIGIL_INFERENCE_TRACK_MISSES",
                                        FaceTracker.Settings.DEFAULT.maxMisses(),
                                        1,
                                        100),
                                r.duration(
                                                "VIGIL_INFERENCE_TRACK_REFRESH",
                                                Duration.ofMillis(FaceTracker.Settings.DEFAULT.refreshMs()),
                                                Duration.ZERO,
                                                Duration.ofHours(1))
                                        .toMillis())));
    }

    /** The one way a face analyzer is built from these settings (workers, enrolment, the face commands). */
    public FaceAnalyzer analyzer(int maxBatch, FaceAnalyzer.Listener listener) {
        return new FaceAnalyzer(
                detector, landmarks, embedder, session, tiling, detectionThreshold, maxBatch, quality, listener);
    }

    private static ModelSource model(ConfigReader r, String key, ModelSource bundled) {
        String path = r.string("VIGIL_INFERENCE_" + key + "_MODEL", null);
        String sha = r.string("VIGIL_INFERENCE_" + key + "_SHA256", null);
        if (path == null) {
            if (sha != null) {
                r.problem("VIGIL_INFERENCE_" + key + "_SHA256 is set without VIGIL_INFERENCE_" + key
                        + "_MODEL; the bundled model's digest is fixed, so set both or neither");
            }
            return bundled;
        }
        if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
            r.problem("VIGIL_INFERENCE_" + key + "_SHA256=" + sha
                    + " is invalid: expected 64 hex digits (sha256sum output)");
        }
        return new ModelSource(bundled.name(), path, sha);
    }

    enum Level {
        BASIC,
        EXTENDED,
        ALL
    }
}
