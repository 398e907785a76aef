package io.vigil.api.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes on a Vigil topic that cannot be read as the record they claim to be: truncated, an unknown version,
 * or a value that breaks the record's invariants. Extends Kafka's {@link SerializationException} so that
 * consumers and Kafka Streams deserialization handlers treat it as a poison record, never as a transient error.
 */
public class WireFormatException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
