package io.vigil.runtime.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one way a part of Vigil registers its meters: a Micrometer {@link MeterBinder} that remembers every meter it
 * registered and removes them again when closed, so that a stopped camera, loop or stage leaves nothing behind.
 */
public abstract class OwnedMeters implements MeterBinder, AutoCloseable {
    private final List<Meter> owned = new CopyOnWriteArrayList<>();
    private volatile MeterRegistry registry;

    @Override
    public final void bindTo(MeterRegistry r) {
        registry = r;
        register(r);
    }

    /** Registers the meters that exist from the start (others may be added later with {@link #own}). */
    protected abstract void register(MeterRegistry r);

    /** The registry bound to; meters registered later go there. */
    protected MeterRegistry registry() {
        return registry;
    }

    /** Records a registered meter, to be removed on {@link #close()}. */
    protected <M extends Meter> M own(M meter) {
        owned.add(meter);
        return meter;
    }

    @Override
    public void close() {
        MeterRegistry r = registry;
        if (r != null) {
            owned.forEach(r::remove);
        }
        owned.clear();
    }
}
