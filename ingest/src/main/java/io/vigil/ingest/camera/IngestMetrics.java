package io.vigil.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** One camera's meters; all tagged with the camera id. */
final class IngestMetrics {
    final Counter published;
    final Counter sampledOut;
    final Counter droppedSlowPublisher;
    final Counter failedPublish;
    final Counter decoded;
    final Counter reconnects;
    final Timer decode;
    final Timer encode;
    final DistributionSummary bytes;

    IngestMetrics(MeterRegistry registry, String camera) {
        published = frames(registry, camera, "published", "none");
        sampledOut = frames(registry, camera, "skipped", "sampling");
        droppedSlowPublisher = frames(registry, camera, "dropped", "publisher-slow");
        failedPublish = frames(registry, camera, "dropped", "kafka-error");
        decoded = Counter.builder("vigil.ingest.decoded").description("Frames decoded from the stream")
                .tag("camera", camera).register(registry);
        reconnects = Counter.builder("vigil.ingest.reconnects").description("Stream reconnects")
                .tag("camera", camera).register(registry);
        decode = Timer.builder("vigil.ingest.decode").description("Time to grab and decode one frame")
                .tag("camera", camera).publishPercentiles(0.5, 0.99).register(registry);
        encode = Timer.builder("vigil.ingest.encode").description("Time to scale and JPEG-encode one sampled frame")
                .tag("camera", camera).publishPercentiles(0.5, 0.99).register(registry);
        bytes = DistributionSummary.builder("vigil.ingest.frame.bytes").baseUnit("bytes")
                .description("JPEG size of published frames").tag("camera", camera).register(registry);
    }

    private static Counter frames(MeterRegistry registry, String camera, String outcome, String reason) {
        return Counter.builder("vigil.ingest.frames").description("Frames by outcome")
                .tag("camera", camera).tag("outcome", outcome).tag("reason", reason).register(registry);
    }
}
