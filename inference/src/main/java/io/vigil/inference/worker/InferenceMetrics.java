package io.vigil.inference.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.model.Device;
import io.vigil.runtime.metrics.OwnedMeters;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** The inference stage's meters (removed again when the stage closes); also the analyzer's listener. */
public final class InferenceMetrics extends OwnedMeters implements FaceAnalyzer.Listener {
    private final ConcurrentMap<String, Timer> steps = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejected = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> frames = new ConcurrentHashMap<>();
    private volatile Device device = Device.CPU;
    DistributionSummary facesPerFrame;
    DistributionSummary batchSize;
    Counter faces;
    Counter detectorRuns;
    Counter examinedWhole;
    Counter examinedMotion;
    Counter embedded;
    Counter saved;
    Counter tracksStarted;
    DistributionSummary embeddingsPerTrack;

    @Override
    protected void register(MeterRegistry r) {
        facesPerFrame = own(DistributionSummary.builder("vigil.inference.faces.per.frame")
                .description("Faces found per frame")
                .serviceLevelObjectives(1, 2, 4, 8, 16)
                .register(r));
        batchSize = own(DistributionSummary.builder("vigil.inference.batch.size")
                .description("Frames analysed together")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(r));
        faces = own(Counter.builder("vigil.inference.faces")
                .description("Faces published")
                .register(r));
        detectorRuns = own(Counter.builder("vigil.inference.detector.runs")
                .description("Detector runs: areas of frames and their tiles")
                .register(r));
        examinedWhole = examined(r, "whole");
        examinedMotion = examined(r, "motion");
        embedded = embeddings(r, "embedded");
        saved = embeddings(r, "saved");
        tracksStarted = own(Counter.builder("vigil.inference.tracks")
                .description("Face tracks started")
                .register(r));
        embeddingsPerTrack = own(DistributionSummary.builder("vigil.inference.track.embeddings")
                .description("Views embedded per track, recorded when the track ends")
                .serviceLevelObjectives(1, 2, 3, 5, 8)
                .register(r));
        for (String reason : FaceAnalyzer.REJECTIONS) {
            rejected.computeIfAbsent(reason, this::rejectedCounter);
        }
        for (Device d : Device.values()) {
            if (d != Device.AUTO) {
                own(Gauge.builder("vigil.inference.device", () -> d == device ? 1 : 0)
                        .description("1 for the execution provider in use")
                        .tag("device", d.name().toLowerCase(Locale.ROOT))
                        .register(r));
            }
        }
    }

    private Counter embeddings(MeterRegistry r, String outcome) {
        return own(Counter.builder("vigil.inference.embeddings")
                .description("Face views embedded, and tracked views not embedded (saved: no better than the"
                        + " track's best)")
                .tag("outcome", outcome)
                .register(r));
    }

    private Counter examined(MeterRegistry r, String area) {
        return own(Counter.builder("vigil.inference.examined")
                .description("Frames examined, whole (full passes, unmeasured frames) or only where they moved")
                .tag("area", area)
                .register(r));
    }

    /** A track ended: how many of its views were embedded. */
    void trackEnded(int embeddedViews, int savedViews) {
        embeddingsPerTrack.record(embeddedViews);
    }

    @Override
    public void detectorRuns(int regions) {
        detectorRuns.increment(regions);
    }

    /** The execution provider the analyzers use. */
    public void device(Device d) {
        device = d;
    }

    @Override
    public void step(String step, long nanos, int items) {
        timer(step).record(nanos, TimeUnit.NANOSECONDS);
    }

    Timer timer(String step) {
        return steps.computeIfAbsent(
                step,
                s -> own(Timer.builder("vigil.inference.duration")
                        .description("Time per inference step, per batch")
                        .tag("step", s)
                        .publishPercentileHistogram()
                        .register(registry())));
    }

    @Override
    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, this::rejectedCounter).increment();
    }

    private Counter rejectedCounter(String reason) {
        return own(Counter.builder("vigil.inference.rejected")
                .description("Detections not embedded, by quality gate")
                .tag("reason", reason)
                .register(registry()));
    }

    void frame(String outcome, String reason) {
        frames.computeIfAbsent(
                        outcome + "/" + reason,
                        k -> own(Counter.builder("vigil.inference.frames")
                                .description("Frames consumed, by outcome")
                                .tag("outcome", outcome)
                                .tag("reason", reason)
                                .register(registry())))
                .increment();
    }
}
