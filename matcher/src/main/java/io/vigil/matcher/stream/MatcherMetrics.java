package io.vigil.matcher.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The matcher's meters. */
public final class MatcherMetrics {
    private final MeterRegistry registry;
    final Counter matched;
    final Counter unmatched;
    final Counter emitted;
    final Counter suppressed;
    final Counter invalidWatchlist;
    final Timer search;
    private final ConcurrentMap<String, Counter> dlq = new ConcurrentHashMap<>();

    public MatcherMetrics(MeterRegistry registry, Watchlist watchlist) {
        this.registry = registry;
        matched = Counter.builder("vigil.matcher.faces").tag("outcome", "matched")
                .description("Faces compared with the watchlist").register(registry);
        unmatched = Counter.builder("vigil.matcher.faces").tag("outcome", "unmatched")
                .description("Faces compared with the watchlist").register(registry);
        emitted = Counter.builder("vigil.matcher.alerts").tag("outcome", "emitted")
                .description("Matches, by whether an alert was emitted or suppressed by the cooldown").register(registry);
        suppressed = Counter.builder("vigil.matcher.alerts").tag("outcome", "suppressed")
                .description("Matches, by whether an alert was emitted or suppressed by the cooldown").register(registry);
        invalidWatchlist = Counter.builder("vigil.matcher.watchlist.invalid")
                .description("Watchlist records that could not be read and were skipped").register(registry);
        search = Timer.builder("vigil.matcher.search").description("Watchlist search time per face")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("vigil.matcher.watchlist.size", watchlist, Watchlist::size)
                .description("People on the watchlist held by this instance").register(registry);
    }

    void deadLettered(String reason) {
        dlq.computeIfAbsent(reason, r -> Counter.builder("vigil.dlq.records").tag("stage", "matcher").tag("reason", r)
                .description("Records sent to the dead-letter topic").register(registry)).increment();
    }
}
