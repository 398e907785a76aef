package io.vigil.matcher;

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
 */
public record MatcherConfig(double threshold, Duration cooldown, String applicationId, Path stateDir, int threads,
                            IndexSettings index) {

    /** The default index settings. */
    public MatcherConfig(double threshold, Duration cooldown, String applicationId, Path stateDir, int threads) {
        this(threshold, cooldown, applicationId, stateDir, threads, IndexSettings.DEFAULT);
    }

    public static MatcherConfig from(ConfigReader r, String topicPrefix, Path home) {
        return new MatcherConfig(
                r.doubleValue("VIGIL_MATCHER_THRESHOLD", Similarity.DEFAULT_THRESHOLD, 0.01, 0.99),
                r.duration("VIGIL_MATCHER_COOLDOWN", Duration.ofSeconds(60), Duration.ZERO, Duration.ofDays(1)),
                r.string("VIGIL_MATCHER_APPLICATION_ID", topicPrefix + "matcher"),
                Path.of(r.string("VIGIL_MATCHER_STATE_DIR", home.resolve("streams").toString())),
                r.intValue("VIGIL_MATCHER_THREADS", 1, 1, 64),
                new IndexSettings(
                        r.enumValue("VIGIL_MATCHER_INDEX", IndexSettings.Mode.class, IndexSettings.DEFAULT.mode()),
                        r.intValue("VIGIL_MATCHER_INDEX_EXACT_LIMIT", IndexSettings.DEFAULT.exactLimit(), 0,
                                Integer.MAX_VALUE),
                        r.intValue("VIGIL_MATCHER_INDEX_CANDIDATES", IndexSettings.DEFAULT.candidates(), 1, 1_000_000),
                        r.intValue("VIGIL_MATCHER_INDEX_THREADS", IndexSettings.DEFAULT.threads(), 1, 64)));
    }
}
