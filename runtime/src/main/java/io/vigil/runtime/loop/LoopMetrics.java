package io.vigil.runtime.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A loop's meters ({@code loop} tag): {@code vigil.loop.live} (1 or 0), {@code vigil.loop.in.flight} and
 * {@code vigil.loop.retries} (reason: poll, commit, send). Removed again when the loop closes.
 */
final class LoopMetrics implements MeterBinder, AutoCloseable {
    private final ConsumerLoop loop;
    private final List<Meter> meters = new ArrayList<>();
    private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();
    private MeterRegistry registry;

    LoopMetrics(ConsumerLoop loop) {
        this.loop = loop;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        registry = r;
        meters.add(Gauge.builder("vigil.loop.live", loop, l -> l.live() ? 1 : 0).tag("loop", loop.name())
                .description("1 while the consumer loop runs and is not stuck").register(r));
        meters.add(Gauge.builder("vigil.loop.in.flight", loop, ConsumerLoop::inFlight).tag("loop", loop.name())
                .description("Records handed to the stage and not yet finished").register(r));
        for (String reason : List.of("poll", "commit", "send")) {
            retry(reason);
        }
    }

    Counter retry(String reason) {
        return retries.computeIfAbsent(reason, k -> {
            Counter c = Counter.builder("vigil.loop.retries").tag("loop", loop.name()).tag("reason", k)
                    .description("Retriable failures the loop waited out").register(registry);
            meters.add(c);
            return c;
        });
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
