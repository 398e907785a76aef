package io.vigil.matcher;

import io.vigil.api.face.EmbedderModel;
import io.vigil.api.frame.CaptureWindow;
import io.vigil.api.watchlist.FalseAlarms;
import io.vigil.api.watchlist.Similarity;
import io.vigil.matcher.index.IndexSettings;
import io.vigil.runtime.config.ConfigReader;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The matcher's settings ({@code VIGIL_MATCHER_*}).
 *
 * @param threshold     global cosine threshold; a person's own threshold overrides it
 * @param cooldown      one alert per (camera, person) per this window of capture time
 * @param applicationId Kafka Streams application id (consumer group and internal topic prefix)
 * @param stateDir      where Kafka Streams keeps local state (never /tmp: it would be lost on reboot)
 * @param threads       stream threads in this process
 * @param index         how the watchlist is searched
 * @param dimension     the embedding dimension of the model in use: watchlist entries and faces of another are refused
 * @param thresholdFloor the lowest threshold a watchlist entry may carry (one near 0 would match every face)
 * @param captureWindow the capture times of faces the matcher accepts
 * @param maxFalseAlarms expected false alerts per 1,000 stranger faces above which the matcher warns
 * @param model         the {@link EmbedderModel} identity of the embedder in use: watchlist entries and faces made by
 *                      another are refused, since their embeddings are not comparable
 */
public record MatcherConfig(
        double threshold,
        Duration cooldown,
        String applicationId,
        Path stateDir,
        int threads,
        IndexSettings index,
        int dimension,
        double thresholdFloor,
        CaptureWindow captureWindow,
        double maxFalseAlarms,
        String model) {
    public MatcherConfig {
        EmbedderModel.require("VIGIL_MATCHER_MODEL", model);
    }

    /** Expected false alerts per 1,000 stranger faces above which the matcher and {@code watchlist ls} warn. */
    public static final double DEFAULT_MAX_FALSE_ALARMS = 1.0;

    /** Everything but the false-alarm bound, which is the default. */
    public MatcherConfig(
            double threshold,
            Duration cooldown,
            String applicationId,
            Path stateDir,
            int threads,
            IndexSettings index,
            int dimension,
            double thresholdFloor,
            CaptureWindow captureWindow) {
        this(
                threshold,
                cooldown,
                applicationId,
                stateDir,
                threads,
                index,
                dimension,
                thresholdFloor,
                captureWindow,
                DEFAULT_MAX_FALSE_ALARMS,
                EmbedderModel.BUNDLED);
    }

    public static final int DEFAULT_DIMENSION = 512;
    /** Above the highest different-person similarity measured on the real photos (0.26), below the threshold. */
    public static final double DEFAULT_THRESHOLD_FLOOR = 0.30;

    /** The default index settings, dimension and floor. */
    public MatcherConfig(double threshold, Duration cooldown, String applicationId, Path stateDir, int threads) {
        this(
                threshold,
                cooldown,
                applicationId,
                stateDir,
                threads,
                IndexSettings.DEFAULT,
                DEFAULT_DIMENSION,
                DEFAULT_THRESHOLD_FLOOR,
                CaptureWindow.DEFAULT);
    }

    public MatcherConfig withIndex(IndexSettings settings) {
        return new MatcherConfig(
                threshold,
                cooldown,
                applicationId,
                stateDir,
                threads,
                settings,
                dimension,
                thresholdFloor,
                captureWindow,
                maxFalseAlarms,
                model);
    }

    /** Expected false alerts per 1,000 stranger faces with this many embeddings at the global threshold. */
    public double expectedFalseAlarms(long embeddings) {
        return FalseAlarms.BUNDLED.per1000(threshold, embeddings);
    }

    /** A warning when {@code embeddings} at the global threshold predict more false alerts than allowed, else null. */
    public String falseAlarmWarning(long embeddings) {
        double expected = expectedFalseAlarms(embeddings);
        if (expected <= maxFalseAlarms) {
            return null;
        }
        return String.format(
                java.util.Locale.ROOT,
                "%,d enrolled embeddings at threshold %.2f predict about %.1f false alerts per 1,000 faces of strangers"
                        + " (more than VIGIL_MATCHER_MAX_FALSE_ALARMS=%s); VIGIL_MATCHER_THRESHOLD=%.2f keeps it under"
                        + " (see README: False alarms)",
                embeddings,
                threshold,
                expected,
                maxFalseAlarms,
                FalseAlarms.BUNDLED.thresholdFor(maxFalseAlarms, embeddings));
    }

    public static MatcherConfig from(ConfigReader r, String topicPrefix, Path home, CaptureWindow window) {
        double floor = r.doubleValue("VIGIL_MATCHER_THRESHOLD_FLOOR", DEFAULT_THRESHOLD_FLOOR, 0.01, 0.99);
        double threshold = r.doubleValue("VIGIL_MATCHER_THRESHOLD", Similarity.DEFAULT_THRESHOLD, 0.01, 0.99);
        if (threshold < floor) {
            r.problem("VIGIL_MATCHER_THRESHOLD=" + threshold + " is below VIGIL_MATCHER_THRESHOLD_FLOOR=" + floor
                    + "; a threshold that low matches strangers: raise it, or lower the floor knowingly");
        }
        return new MatcherConfig(
                threshold,
                r.duration("VIGIL_MATCHER_COOLDOWN", Duration.ofSeconds(60), Duration.ZERO, Duration.ofDays(1)),
                r.string("VIGIL_MATCHER_APPLICATION_ID", topicPrefix + "matcher"),
                Path.of(r.string(
                        "VIGIL_MATCHER_STATE_DIR", home.resolve("streams").toString())),
                r.intValue("VIGIL_MATCHER_THREADS", 1, 1, 64),
                new IndexSettings(
                        r.enumValue("VIGIL_MATCHER_INDEX", IndexSettings.Mode.class, IndexSettings.DEFAULT.mode()),
                        r.intValue(
                                "VIGIL_MATCHER_INDEX_EXACT_LIMIT",
                                IndexSettings.DEFAULT.exactLimit(),
                                0,
                                Integer.MAX_VALUE),
                        r.intValue("VIGIL_MATCHER_INDEX_CANDIDATES", IndexSettings.DEFAULT.candidates(), 1, 1_000_000),
                        r.intValue("VIGIL_MATCHER_INDEX_THREADS", IndexSettings.DEFAULT.threads(), 1, 64),
                        threshold),
                r.intValue("VIGIL_MATCHER_EMBEDDING_DIM", DEFAULT_DIMENSION, 1, 4096),
                floor,
                window,
                r.doubleValue("VIGIL_MATCHER_MAX_FALSE_ALARMS", DEFAULT_MAX_FALSE_ALARMS, 0, 1000),
                model(r));
    }

    private static String model(ConfigReader r) {
        String model = r.string("VIGIL_MATCHER_MODEL", EmbedderModel.BUNDLED);
        String problem = EmbedderModel.problem("VIGIL_MATCHER_MODEL", model);
        if (problem != null) {
            r.problem(problem + "; it names the embedder inference runs (see README: Model identity)");
            return EmbedderModel.BUNDLED;
        }
        return model;
    }
}
