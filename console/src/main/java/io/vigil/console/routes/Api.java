package io.vigil.console.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.Text;
import io.vigil.api.audit.AuditEvent;
import io.vigil.api.topic.Topic;
import io.vigil.api.topic.VigilTopics;
import io.vigil.console.access.Caller;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpRefusal;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every API route shares: who is calling and whether their role allows it, reading a JSON body strictly (wrong
 * types, unknown and missing fields are 400s that name the field), answering JSON, and writing a change to its topic
 * and then to the audit topic, waiting for Kafka to take both.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    /** Strict for what strangers send: no unknown fields, no "5" for 5, no null for a number. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    /** Largest JSON body read. */
    static final int MAX_JSON_BYTES = 64 * 1024;

    private static final long WRITE_TIMEOUT_MS = 15_000;

    private final Supplier<Tokens> tokens;
    private final Producer<byte[], byte[]> producer;
    private final VigilTopics topics;
    private final Clock clock;
    private final Function<Throwable, String> explain;
    private final Counter auditFailures;
    private final Counter refused;
    private final BooleanSupplier ready;

    public Api(
            Supplier<Tokens> tokens,
            Producer<byte[], byte[]> producer,
            VigilTopics topics,
            Clock clock,
            MeterRegistry registry,
            Function<Throwable, String> explain,
            BooleanSupplier ready) {
        this.tokens = tokens;
        this.ready = ready;
        this.producer = producer;
        this.topics = topics;
        this.clock = clock;
        this.explain = explain;
        this.auditFailures = Counter.builder("vigil.console.audit.failures")
                .description("changes made whose audit event Kafka did not take")
                .register(registry);
        this.refused = Counter.builder("vigil.console.refused")
                .description("API requests refused for want of a valid token or role")
                .register(registry);
    }

    public VigilTopics topics() {
        return topics;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The caller, when their token is valid and their role allows {@code needed}; otherwise a 401 (no or unknown
     * token) or 403 (a role that may not) refusal. API calls carry the token as {@code Authorization: Bearer}, never
     * as a cookie, so no other site's page can make them on a user's behalf. Until the console has read the topics
     * it answers 503: a list would be incomplete, and a create could not tell that the camera or person exists.
     */
    public Caller require(HttpCall call, Role needed) {
        Caller caller = authorise(call, needed);
        if (!ready.getAsBoolean()) {
            call.responseHeader("Retry-After", "5");
            throw new HttpRefusal(503, "the console is still reading the cameras and the watchlist; try again shortly");
        }
        return caller;
    }

    private Caller authorise(HttpCall call, Role needed) {
        call.responseHeader("Cache-Control", "no-store");
        Tokens current = tokens.get();
        if (current == null) {
            return Caller.LOCAL;
        }
        String auth = call.header("Authorization");
        Caller caller = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? current.caller(auth.substring(7).trim())
                : null;
        if (caller == null) {
            refused.increment();
            call.responseHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
            throw new HttpRefusal(
                    401,
                    auth == null
                            ? "send Authorization: Bearer TOKEN with a token from the console's tokens file"
                                    + " (vigil console token makes one)"
                            : "that token is not in the console's tokens file (VIGIL_CONSOLE_TOKENS)");
        }
        if (!caller.role().allows(needed)) {
            refused.increment();
            throw new HttpRefusal(
                    403,
                    "token '" + caller.name() + "' has the role "
                            + caller.role().label() + "; this needs " + needed.label() + " or above");
        }
        return caller;
    }

    /** The JSON body as {@code type}, or a 400 naming what is wrong with it. */
    public <T> T body(HttpCall call, Class<T> type) throws IOException {
        String contentType = call.header("Content-Type");
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpRefusal(415, "send the body as JSON with Content-Type: application/json");
        }
        byte[] body = call.body(MAX_JSON_BYTES);
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new HttpRefusal(400, "the body is JSON null; send an object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            List<String> known = e.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .toList();
            throw new HttpRefusal(
                    400,
                    "unknown field '" + Text.cut(e.getPropertyName(), 80) + "'; the fields are "
                            + String.join(", ", known));
        } catch (MismatchedInputException e) {
            String field = field(e);
            throw new HttpRefusal(
                    400,
                    field.isEmpty()
                            ? "the body must be a JSON object"
                            : "field '" + field + "' must be " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            String field = field(e);
            Throwable cause = e.getCause();
            String why = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            throw new HttpRefusal(400, (field.isEmpty() ? "" : "field '" + field + "': ") + firstLine(why));
        } catch (JsonProcessingException e) {
            throw new HttpRefusal(400, "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String field(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return Text.cut(path, 80);
    }

    /** What a JSON value of {@code type} looks like, for people. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of type " + type.getSimpleName();
    }

    public void json(HttpCall call, int status, Object value) throws IOException {
        call.respond(status, "application/json", STRICT.writeValueAsBytes(value));
    }

    /**
     * Writes {@code value} (null = a tombstone) under {@code key}, waiting for Kafka to take it, or a 503; returns
     * where it was written.
     */
    public <V> RecordMetadata write(Topic<String, V> topic, String key, V value) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        try {
            return producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), bytes))
                    .get(WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpRefusal(503, "interrupted while writing to Kafka; nothing was changed, try again");
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new HttpRefusal(
                    503, "Kafka did not take the change (" + explain.apply(cause) + "); try again when it is back");
        }
    }

    /** Records a change in the audit topic; a failure is logged and counted, and said in the answer's header. */
    public void audit(HttpCall call, Caller caller, String action, String target, String detail) {
        AuditEvent event =
                new AuditEvent(clock.millis(), caller.name(), caller.role().label(), "api", action, target, detail);
        try {
            write(topics.audit, target, event);
        } catch (HttpRefusal e) {
            auditFailures.increment();
            LOG.error(
                    "The change {} of {} by {} was made but not audited: {}",
                    action,
                    target,
                    caller.name(),
                    e.getMessage());
            call.responseHeader("Warning", "199 vigil \"the change was made but its audit event was not written\"");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return Text.cut(nl < 0 ? s : s.substring(0, nl), 400);
    }
}
