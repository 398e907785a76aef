package io.vigil.api.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;

/** JSON wire format (Jackson) for the human-scale records: cameras, camera status, watchlist, alerts. */
public final class JsonSerde<T> extends WireSerde<T> {
    /** The project's one JSON mapper: ISO-8601 times, unknown fields ignored for forward compatibility. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Class<T> type;
    private final String record;

    public JsonSerde(Class<T> type) {
        this.type = type;
        this.record = type.getSimpleName();
    }

    @Override
    public byte[] encode(T value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new WireFormatException("cannot write " + record + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public T decode(byte[] bytes) {
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new WireFormatException(record + " record is JSON null");
            }
            return value;
        } catch (IOException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new WireFormatException(record + " record is invalid: " + invalid.getMessage(), e);
            }
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new WireFormatException(record + " record is not valid JSON for its schema: " + msg, e);
        }
    }
}
