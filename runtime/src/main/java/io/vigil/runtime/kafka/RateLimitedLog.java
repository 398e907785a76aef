package io.vigil.runtime.kafka;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** Logs a warning at most once per interval per key, saying how many were suppressed in between. */
public final class RateLimitedLog {
    private final Logger logger;
    private final long intervalMs;
    private final ConcurrentMap<String, AtomicLong> last = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicLong> suppressed = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger logger, long intervalMs) {
        this.logger = logger;
        this.intervalMs = intervalMs;
    }

    public void warn(String key, String format, Object... args) {
        long now = System.currentTimeMillis();
        AtomicLong at = last.computeIfAbsent(key, k -> new AtomicLong());
        AtomicLong skipped = suppressed.computeIfAbsent(key, k -> new AtomicLong());
        long prev = at.get();
        if (now - prev >= intervalMs && at.compareAndSet(prev, now)) {
            long n = skipped.getAndSet(0);
            logger.warn(n == 0 ? format : format + " [" + n + " similar suppressed]", args);
        } else {
            skipped.incrementAndGet();
        }
    }
}
