package io.vigil.runtime.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.runtime.metrics.OwnedMeters;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A loop's meters ({@code loop} tag): {@code vigil.loop.live} (1 or 0), {@code vigil.loop.in.flight} and
 * {@code vigil.loop.retries} (reason: poll, commit, send). Removed again when the loop closes.
 */
final class LoopMetrics extends OwnedMeters {
    private final ConsumerLoop loop;
    private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();

    LoopMetrics(ConsumerLoop loop) {
        this.loop = loop;
    }

    @Override
    protected void register(MeterRegistry r) {
        own(Gauge.builder("vigil.loop.live", loop, l -> l.live() ? 1 : 0)
                .tag("loop", loop.name())
                .description("1 while the consumer loop runs and is not stuck")
                .register(r));
        own(Gauge.builder("vigil.loop.in.flight", loop, ConsumerLoop::inFlight)
                .tag("loop", loop.name())
                .description("Records handed to the stage and not yet finished")
                .register(r));
        for (String reason : List.of("poll", "commit", "send")) {
            retry(reason);
        }
    }

    Counter retry(String reason) {
        return retries.computeIfAbsent(
                reason,
                k -> own(Counter.builder("vigil.loop.retries")
                        .tag("loop", loop.name())
                        .tag("reason", k)
                        .description("Retriable failures the loop waited out")
                        .register(registry())));
    }
}
