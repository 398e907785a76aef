package io.vigil.ingest.camera;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with full jitter over the upper half: delay in [d/2, d], d = min(max, min * 2^attempt). */
final class Backoff {
    private final Duration min;
    private final Duration max;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    long delayMs(int attempt) {
        long cap = max.toMillis();
        long d = min.toMillis() << Math.min(attempt, 20);
        d = d <= 0 || d > cap ? cap : d;
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }
}
