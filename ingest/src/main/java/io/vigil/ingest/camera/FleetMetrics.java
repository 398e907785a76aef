package io.vigil.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.runtime.metrics.OwnedMeters;

import java.util.function.Supplier;

/** A worker's camera-wide meters: cameras it runs, camera records it refused. Removed when ingest stops. */
public final class FleetMetrics extends OwnedMeters {
    private final Supplier<Integer> active;
    private Counter invalid;

    public FleetMetrics(Supplier<Integer> active) {
        this.active = active;
    }

    /** Counts camera records refused. */
    public Counter invalid() {
        return invalid;
    }

    @Override
    protected void register(MeterRegistry r) {
        own(Gauge.builder("vigil.ingest.cameras.active", active, a -> a.get())
                .description("Cameras this worker decodes")
                .register(r));
        invalid = own(Counter.builder("vigil.ingest.cameras.invalid")
                .description("Camera records refused: unreadable, or a URL this deployment does not allow")
                .register(r));
    }
}
