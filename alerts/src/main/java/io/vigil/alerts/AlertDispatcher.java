package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.alerts.webhook.WebhookSender;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.serde.WireFormatException;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The alerts service's record handler: checks each alert against its schema where it is consumed (an alert that
 * breaks it never reaches a receiver: its ids go into HTTP headers and event-stream lines), then delivers it to every
 * sink. Its offset is committed once every sink has delivered it or dead-lettered it.
 */
final class AlertDispatcher implements RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private final AlertsConfig config;
    private final AlertHub hub;
    private final WebhookSender webhooks;
    private final DeadLetterPublisher dlq;
    private final MeterRegistry registry;
    private final Clock clock;
    private final JsonSerde<Alert> serde = new JsonSerde<>(Alert.class);
    private final ConcurrentMap<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latency = new ConcurrentHashMap<>();

    AlertDispatcher(AlertsConfig config, AlertHub hub, WebhookSender webhooks, DeadLetterPublisher dlq,
                    MeterRegistry registry, Clock clock) {
        this.config = config;
        this.hub = hub;
        this.webhooks = webhooks;
        this.dlq = dlq;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        if (r.value() == null) {
            return null; // a tombstone is not an alert
        }
        Alert alert;
        try {
            alert = serde.decode(r.value());
        } catch (WireFormatException e) {
            throw new RejectedRecordException("invalid-alert", e.getMessage());
        }
        if (alert.schemaVersion() != Alert.SCHEMA_VERSION) {
            throw new RejectedRecordException("unknown-version", "alert schemaVersion " + alert.schemaVersion()
                    + " but this service reads version " + Alert.SCHEMA_VERSION + "; upgrade it");
        }
        if (r.key() == null || !Arrays.equals(r.key(), alert.cameraId().getBytes(StandardCharsets.UTF_8))) {
            throw new RejectedRecordException("key-mismatch", "an alert's record key must be its camera id");
        }
        hub.publish(alert);
        delivered("stream", "delivered", alert);
        List<CompletableFuture<?>> out = new ArrayList<>();
        for (URI url : config.webhooks()) {
            out.add(webhooks.send(url, alert.alertId(), r.value()).thenCompose(o -> {
                if (o.delivered()) {
                    delivered("webhook", "delivered", alert);
                    return CompletableFuture.completedFuture(null);
                }
                delivered("webhook", "failed", alert);
                LOG.warn("Alert {} not delivered to {}: {}", alert.alertId(), url.getHost(), o.detail());
                return dlq.publish(r, "webhook-failed", url.getHost() + ": " + o.detail());
            }));
        }
        return CompletableFuture.allOf(out.toArray(new CompletableFuture<?>[0]));
    }

    private void delivered(String channel, String outcome, Alert alert) {
        deliveries.computeIfAbsent(channel + "/" + outcome, k -> Counter.builder("vigil.alerts.deliveries")
                .description("Alert deliveries by channel and outcome").tag("channel", channel).tag("outcome", outcome)
                .register(registry)).increment();
        if (outcome.equals("delivered")) {
            latency.computeIfAbsent(channel, c -> Timer.builder("vigil.alerts.delivery.latency")
                    .description("Capture-to-delivery latency").tag("channel", c).publishPercentileHistogram()
                    .register(registry)).record(Math.max(0, clock.millis() - alert.capturedAt().toEpochMilli()),
                    TimeUnit.MILLISECONDS);
        }
    }
}
