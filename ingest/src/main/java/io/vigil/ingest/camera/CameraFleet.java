package io.vigil.ingest.camera;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.camera.CameraSpec;
import io.vigil.ingest.IngestConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cameras this worker runs. {@link #reconcile} starts what should run and does not, restarts what changed and
 * stops what should not run; cameras stop in parallel (each stop interrupts its FFmpeg call at once).
 */
public final class CameraFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CameraFleet.class);
    private final IngestConfig config;
    private final CameraRunner.FrameSink sink;
    private final CameraStatusReporter status;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, CameraRunner> running = new ConcurrentHashMap<>();

    public CameraFleet(
            IngestConfig config,
            CameraRunner.FrameSink sink,
            CameraStatusReporter status,
            MeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.sink = sink;
        this.status = status;
        this.registry = registry;
        this.clock = clock;
    }

    public synchronized void reconcile(Map<String, CameraSpec> want) {
        List<CameraRunner> stop = new ArrayList<>();
        running.entrySet().removeIf(e -> {
            CameraSpec target = want.get(e.getKey());
            if (target == null || !target.equals(e.getValue().spec())) {
                stop.add(e.getValue());
                return true;
            }
            return false;
        });
        stopAll(stop);
        want.forEach((id, spec) -> running.computeIfAbsent(id, k -> {
            LOG.info("Starting camera {} ({} at {} fps)", id, spec.maskedUrl(), spec.fps());
            return new CameraRunner(spec, config, sink, status, registry, clock).start();
        }));
    }

    /** The ids of the cameras running now. */
    public Set<String> cameras() {
        return Set.copyOf(running.keySet());
    }

    private static void stopAll(List<CameraRunner> runners) {
        if (runners.size() == 1) {
            runners.get(0).close();
        } else if (!runners.isEmpty()) {
            List<Thread> stopping = new ArrayList<>();
            for (CameraRunner r : runners) {
                Thread t = new Thread(r::close, "stop-" + r.spec().id());
                t.start();
                stopping.add(t);
            }
            for (Thread t : stopping) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        stopAll(List.copyOf(running.values()));
        running.clear();
    }
}
