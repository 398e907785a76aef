package io.vigil.matcher.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.matcher.MatcherConfig;
import io.vigil.runtime.metrics.OwnedMeters;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The matcher's meters, removed again when the matcher closes. */
public final class MatcherMetrics extends OwnedMeters {
    private final Watchlist watchlist;
    private final ConcurrentMap<String, Counter> dlq = new ConcurrentHashMap<>();
    Counter matched;
    Counter unmatched;
    Counter emitted;
    Counter suppressed;
    Counter invalidWatchlist;
    Timer search;

    private final MatcherConfig config;

    public MatcherMetrics(Watchlist watchlist, MatcherConfig config) {
        this.watchlist = watchlist;
        this.config = config;
    }

    @Override
    protected void register(MeterRegistry r) {
        matched = own(Counter.builder("vigil.matcher.faces")
                .tag("outcome", "matched")
                .description("Faces compared with the watchlist")
                .register(r));
        unmatched = own(Counter.builder("vigil.matcher.faces")
                .tag("outcome", "unmatched")
                .description("Faces compared with the watchlist")
                .register(r));
        emitted = own(Counter.builder("vigil.matcher.alerts")
                .tag("outcome", "emitted")
                .description("Matches, by whether an alert was emitted or suppressed by the cooldown")
                .register(r));
        suppressed = own(Counter.builder("vigil.matcher.alerts")
                .tag("outcome", "suppressed")
                .description("Matches, by whether an alert was emitted or suppressed by the cooldown")
                .register(r));
        invalidWatchlist = own(Counter.builder("vigil.matcher.watchlist.invalid")
                .description("Watchlist records refused (unreadable, another model, a threshold below the floor)")
                .register(r));
        search = own(Timer.builder("vigil.matcher.search")
                .description("Watchlist search time per face")
                .publishPercentileHistogram()
                .register(r));
        own(Gauge.builder("vigil.matcher.watchlist.size", watchlist, Watchlist::size)
                .description("People on the watchlist held by this instance")
                .register(r));
        own(Gauge.builder(
                        "vigil.matcher.false.alarms.expected",
                        watchlist,
                        w -> config.expectedFalseAlarms(w.embeddings()))
                .description("Expected false alerts per 1,000 faces of strangers at this watchlist's size and the"
                        + " global threshold (README: False alarms)")
                .register(r));
        own(Gauge.builder("vigil.matcher.false.alarms.max", config, MatcherConfig::maxFalseAlarms)
                .description("VIGIL_MATCHER_MAX_FALSE_ALARMS: expected false alerts per 1,000 stranger faces allowed")
                .register(r));
    }

    void deadLettered(String reason) {
        dlq.computeIfAbsent(
                        reason,
                        k -> own(Counter.builder("vigil.dlq.records")
                                .tag("stage", "matcher")
                                .tag("reason", k)
                                .description("Records sent to the dead-letter topic")
                                .register(registry())))
                .increment();
    }
}
