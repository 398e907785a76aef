package io.vigil.api.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Kafka {@link Serde} over a pure encode/decode pair. Decoding never returns a half-read record: bad bytes raise a
 * {@link WireFormatException}. A null payload (a tombstone) maps to null both ways.
 */
public abstract class WireSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    public abstract byte[] encode(T value);

    public abstract T decode(byte[] bytes);

    @Override
    public final byte[] serialize(String topic, T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public final T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public final Serializer<T> serializer() {
        return this;
    }

    @Override
    public final Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure
    }

    @Override
    public void close() {
        // stateless
    }

    /** Runs a record constructor, turning its invariant violations into a typed wire error. */
    static <R> R construct(String record, Supplier<R> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WireFormatException(record + " record is invalid: " + e.getMessage(), e);
        }
    }
}
