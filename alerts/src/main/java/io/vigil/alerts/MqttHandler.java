package io.vigil.alerts;

import io.vigil.alerts.mqtt.MqttSink;
import io.vigil.api.alert.Alert;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.concurrent.CompletionStage;

/**
 * The MQTT sink's record handler, in its own consumer group: an alert's offset is committed once the MQTT broker has
 * acknowledged it, whatever the webhooks are doing. Records that break the schema are skipped here (the webhook loop
 * dead-letters them, once).
 */
final class MqttHandler implements RecordHandler {
    private final AlertRecords records;
    private final MqttSink sink;
    private final AlertsMetrics metrics;

    MqttHandler(AlertRecords records, MqttSink sink, AlertsMetrics metrics) {
        this.records = records;
        this.sink = sink;
        this.metrics = metrics;
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) {
        Alert alert;
        try {
            alert = records.read(r);
        } catch (RejectedRecordException e) {
            return null;
        }
        if (alert == null) {
            return null;
        }
        return sink.publish(alert.cameraId(), r.value())
                .thenRun(() -> metrics.delivered("mqtt", "delivered", alert.capturedAt()));
    }
}
