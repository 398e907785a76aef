package io.vigil.alerts;

import io.vigil.alerts.stream.AlertHub;
import io.vigil.alerts.webhook.WebhookSender;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.WireFormatException;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
    private final AlertsMetrics metrics;
    private final Deserializer<Alert> alerts;

    AlertDispatcher(
            Deserializer<Alert> alerts,
            AlertsConfig config,
            AlertHub hub,
            WebhookSender webhooks,
            DeadLetterPublisher dlq,
            AlertsMetrics metrics) {
        this.alerts = alerts;
        this.config = config;
        this.hub = hub;
        this.webhooks = webhooks;
        this.dlq = dlq;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        if (r.value() == null) {
            return null; // a tombstone is not an alert
        }
        Alert alert;
        try {
            alert = alerts.deserialize(r.topic(), r.value());
        } catch (WireFormatException e) {
            throw new RejectedRecordException("invalid-alert", e.getMessage());
        }
        if (alert.schemaVersion() != Alert.SCHEMA_VERSION) {
            throw new RejectedRecordException(
                    "unknown-version",
                    "alert schemaVersion " + alert.schemaVersion() + " but this service reads version "
                            + Alert.SCHEMA_VERSION + "; upgrade it");
        }
        if (r.key() == null || !Arrays.equals(r.key(), alert.cameraId().getBytes(StandardCharsets.UTF_8))) {
            throw new RejectedRecordException("key-mismatch", "an alert's record key must be its camera id");
        }
        hub.publish(alert);
        metrics.delivered("stream", "delivered", alert.capturedAt());
        List<CompletableFuture<?>> out = new ArrayList<>();
        for (URI url : config.webhooks()) {
            out.add(webhooks.send(url, alert.alertId(), r.value()).thenCompose(o -> {
                if (o.delivered()) {
                    metrics.delivered("webhook", "delivered", alert.capturedAt());
                    return CompletableFuture.completedFuture(null);
                }
                metrics.delivered("webhook", "failed", alert.capturedAt());
                LOG.warn("Alert {} not delivered to {}: {}", alert.alertId(), url.getHost(), o.detail());
                return dlq.publish(r, "webhook-failed", url.getHost() + ": " + o.detail());
            }));
        }
        return CompletableFuture.allOf(out.toArray(new CompletableFuture<?>[0]));
    }
}
