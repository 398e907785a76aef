package io.vigil.alerts;

import io.vigil.api.alert.Alert;
import io.vigil.api.serde.WireFormatException;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an alert record and checks it against the schema where it is consumed: an alert that breaks it never reaches
 * a receiver (its ids go into HTTP headers, event-stream lines and MQTT topics). Every reader of the alerts topic in
 * this service (the sinks' loops and the live feed) uses this one check.
 */
final class AlertRecords {
    private final Deserializer<Alert> alerts;

    AlertRecords(Deserializer<Alert> alerts) {
        this.alerts = alerts;
    }

    /** The alert, or null for a tombstone (not an alert). */
    Alert read(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        if (r.value() == null) {
            return null;
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
        return alert;
    }
}
