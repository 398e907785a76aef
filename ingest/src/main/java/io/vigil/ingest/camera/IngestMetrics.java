package io.vigil.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.runtime.metrics.OwnedMeters;

import java.time.Clock;

/** One camera's meters, all tagged with the camera id; removed when the camera stops, so none is left behind. */
final class IngestMetrics extends OwnedMeters {
    private final String camera;
    private final CameraStatusReporter status;
    private final Clock clock;
    Counter published;
    Counter sampledOut;
    Counter gated;
    Counter droppedSlowPublisher;
    Counter failedPublish;
    Counter decoded;
    Counter reconnects;
    Counter refused;
    Timer decode;
    Timer encode;
    Timer motion;
    DistributionSummary bytes;

    IngestMetrics(String camera, CameraStatusReporter status, Clock clock) {
        this.camera = camera;
        this.status = status;
        this.clock = clock;
    }

    @Override
    protected void register(MeterRegistry r) {
        published = frames(r, "published", "none");
        sampledOut = frames(r, "skipped", "sampling");
        gated = frames(r, "gated", "no-motion");
        droppedSlowPublisher = frames(r, "dropped", "publisher-slow");
        failedPublish = frames(r, "dropped", "kafka-error");
        decoded = own(Counter.builder("vigil.ingest.decoded")
                .description("Frames decoded from the stream")
                .tag("camera", camera)
                .register(r));
        reconnects = own(Counter.builder("vigil.ingest.reconnects")
                .description("Stream reconnects")
                .tag("camera", camera)
                .register(r));
        refused = own(Counter.builder("vigil.ingest.refused")
                .description("Connections not made because this deployment does not allow the camera's URL")
                .tag("camera", camera)
                .register(r));
        decode = own(Timer.builder("vigil.ingest.decode")
                .description("Time to grab and decode one frame")
                .tag("camera", camera)
                .publishPercentileHistogram()
                .register(r));
        encode = own(Timer.builder("vigil.ingest.encode")
                .description("Time to scale and JPEG-encode one sampled frame")
                .tag("camera", camera)
                .publishPercentileHistogram()
                .register(r));
        motion = own(Timer.builder("vigil.ingest.motion")
                .description("Time to measure one sampled frame's motion (shrink, grey, compare)")
                .tag("camera", camera)
                .publishPercentileHistogram()
                .register(r));
        bytes = own(DistributionSummary.builder("vigil.ingest.frame.bytes")
                .baseUnit("bytes")
                .description("JPEG size of published frames")
                .tag("camera", camera)
                .register(r));
        own(Gauge.builder("vigil.ingest.last.frame.age", status, s -> {
                    long last = s.lastFrameAtMs(camera);
                    return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
                })
                .description("Seconds since the capture time of the camera's last published frame")
                .baseUnit("seconds")
                .tag("camera", camera)
                .register(r));
    }

    private Counter frames(MeterRegistry r, String outcome, String reason) {
        return own(Counter.builder("vigil.ingest.frames")
                .description("Frames by outcome")
                .tag("camera", camera)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(r));
    }
}
