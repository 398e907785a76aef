package io.vigil.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** One camera's meters, all tagged with the camera id; removed when the camera stops, so none is left behind. */
final class IngestMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    final Counter published;
    final Counter sampledOut;
    final Counter droppedSlowPublisher;
    final Counter failedPublish;
    final Counter decoded;
    final Counter reconnects;
    final Counter refused;
    final Timer decode;
    final Timer encode;
    final DistributionSummary bytes;

    IngestMetrics(MeterRegistry registry, String camera, CameraStatusReporter status, Clock clock) {
        this.registry = registry;
        published = frames(camera, "published", "none");
        sampledOut = frames(camera, "skipped", "sampling");
        droppedSlowPublisher = frames(camera, "dropped", "publisher-slow");
        failedPublish = frames(camera, "dropped", "kafka-error");
        decoded = add(Counter.builder("vigil.ingest.decoded").description("Frames decoded from the stream")
                .tag("camera", camera).register(registry));
        reconnects = add(Counter.builder("vigil.ingest.reconnects").description("Stream reconnects")
                .tag("camera", camera).register(registry));
        refused = add(Counter.builder("vigil.ingest.refused")
                .description("Connections not made because this deployment does not allow the camera's URL")
                .tag("camera", camera).register(registry));
        decode = add(Timer.builder("vigil.ingest.decode").description("Time to grab and decode one frame")
                .tag("camera", camera).publishPercentileHistogram().register(registry));
        encode = add(Timer.builder("vigil.ingest.encode").description("Time to scale and JPEG-encode one sampled frame")
                .tag("camera", camera).publishPercentileHistogram().register(registry));
        bytes = add(DistributionSummary.builder("vigil.ingest.frame.bytes").baseUnit("bytes")
                .description("JPEG size of published frames").tag("camera", camera).register(registry));
        add(Gauge.builder("vigil.ingest.last.frame.age", status, s -> {
                    long last = s.lastFrameAtMs(camera);
                    return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
                }).description("Seconds since the capture time of the camera's last published frame")
                .baseUnit("seconds").tag("camera", camera).register(registry));
    }

    private Counter frames(String camera, String outcome, String reason) {
        return add(Counter.builder("vigil.ingest.frames").description("Frames by outcome")
                .tag("camera", camera).tag("outcome", outcome).tag("reason", reason).register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
