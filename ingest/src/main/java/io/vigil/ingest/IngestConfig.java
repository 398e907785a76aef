package io.vigil.ingest;

import io.vigil.runtime.config.ConfigReader;

import java.time.Duration;

/**
 * The ingest stage's settings ({@code VIGIL_INGEST_*}).
 *
 * @param jpegQuality  JPEG quality of published frames
 * @param timeout      no data for this long = a stalled camera (also the connect timeout)
 * @param backoffMin   first reconnect delay
 * @param backoffMax   reconnect delays double up to this, with jitter
 * @param queue        frames waiting between decoding and publishing, per camera; the oldest is dropped when full
 */
public record IngestConfig(int jpegQuality, Duration timeout, Duration backoffMin, Duration backoffMax, int queue) {

    public static IngestConfig from(ConfigReader r) {
        Duration min = r.duration("VIGIL_INGEST_BACKOFF_MIN", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5));
        Duration max = r.duration("VIGIL_INGEST_BACKOFF_MAX", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1));
        if (max.compareTo(min) < 0) {
            r.problem("VIGIL_INGEST_BACKOFF_MAX=" + max + " is below VIGIL_INGEST_BACKOFF_MIN=" + min + "; raise the maximum");
        }
        return new IngestConfig(
                r.intValue("VIGIL_INGEST_JPEG_QUALITY", 80, 10, 100),
                r.duration("VIGIL_INGEST_TIMEOUT", Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMinutes(5)),
                min, max,
                r.intValue("VIGIL_INGEST_QUEUE", 2, 1, 1000));
    }
}
