package io.vigil.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.model.Device;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** The inference stage's meters; also the analyzer's listener. */
final class InferenceMetrics implements FaceAnalyzer.Listener {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> steps = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> frames = new ConcurrentHashMap<>();
    final DistributionSummary facesPerFrame;
    final DistributionSummary batchSize;
    final Counter faces;

    MeterRegistry registry() {
        return registry;
    }

    InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.facesPerFrame = DistributionSummary.builder("vigil.inference.faces.per.frame")
                .description("Faces found per frame").serviceLevelObjectives(1, 2, 4, 8, 16).register(registry);
        this.batchSize = DistributionSummary.builder("vigil.inference.batch.size")
                .description("Frames analysed together").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
        this.faces = Counter.builder("vigil.inference.faces").description("Faces published").register(registry);
        for (String reason : FaceAnalyzer.REJECTIONS) {
            rejected.computeIfAbsent(reason, this::rejectedCounter);
        }
    }

    void device(Device device) {
        for (Device d : Device.values()) {
            if (d != Device.AUTO) {
                Gauge.builder("vigil.inference.device", () -> d == device ? 1 : 0)
                        .description("1 for the execution provider in use")
                        .tag("device", d.name().toLowerCase(Locale.ROOT)).register(registry);
            }
        }
    }

    @Override
    public void step(String step, long nanos, int items) {
        timer(step).record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer timer(String step) {
        return steps.computeIfAbsent(step, s -> Timer.builder("vigil.inference.duration")
                .description("Time per inference step, per batch").tag("step", s)
                .publishPercentileHistogram().register(registry));
    }

    @Override
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, this::rejectedCounter).increment();
    }

    private Counter rejectedCounter(String reason) {
        return Counter.builder("vigil.inference.rejected").description("Detections not embedded, by quality gate")
                .tag("reason", reason).register(registry);
    }

    void frame(String outcome, String reason) {
        frames.computeIfAbsent(outcome + "/" + reason, k -> Counter.builder("vigil.inference.frames")
                .description("Frames consumed, by outcome").tag("outcome", outcome).tag("reason", reason)
                .register(registry)).increment();
    }
}
