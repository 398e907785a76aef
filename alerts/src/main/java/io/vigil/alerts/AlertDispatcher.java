package io.vigil.alerts;

import io.vigil.alerts.webhook.Webhook;
import io.vigil.alerts.webhook.WebhookSender;
import io.vigil.api.alert.Alert;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The webhook sink's record handler: checks each alert where it is consumed ({@link AlertRecords}; what fails goes to
 * the dead-letter topic, from this loop only), then posts it to every webhook. Its offset is committed once every
 * webhook has delivered it or dead-lettered it; each webhook has its own queue, so a slow one delays only itself.
 */
final class AlertDispatcher implements RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private final AlertsConfig config;
    private final WebhookSender webhooks;
    private final DeadLetterPublisher dlq;
    private final AlertsMetrics metrics;
    private final AlertRecords records;

    AlertDispatcher(
            AlertRecords records,
            AlertsConfig config,
            WebhookSender webhooks,
            DeadLetterPublisher dlq,
            AlertsMetrics metrics) {
        this.records = records;
        this.config = config;
        this.webhooks = webhooks;
        this.dlq = dlq;
        this.metrics = metrics;
    }

    private volatile boolean stopping;

    @Override
    public void stopping() {
        stopping = true;
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        Alert alert = records.read(r);
        if (alert == null || config.webhooks().isEmpty()) {
            return null;
        }
        List<CompletableFuture<?>> out = new ArrayList<>();
        for (Webhook hook : config.webhooks()) {
            if (!hook.wants(alert)) {
                continue;
            }
            out.add(webhooks.send(hook, alert.alertId(), r.value()).thenCompose(o -> {
                if (o.delivered()) {
                    metrics.delivered("webhook", "delivered", alert.capturedAt());
                    return CompletableFuture.completedFuture(null);
                }
                if (stopping) {
                    // cut off by the stop, not refused by the receiver: leave it uncommitted for the next owner
                    return new CompletableFuture<>();
                }
                metrics.delivered("webhook", "failed", alert.capturedAt());
                LOG.warn("Alert {} not delivered to webhook {}: {}", alert.alertId(), hook.name(), o.detail());
                return dlq.publish(r, "webhook-failed", hook.name() + ": " + o.detail());
            }));
        }
        return CompletableFuture.allOf(out.toArray(new CompletableFuture<?>[0]));
    }
}
