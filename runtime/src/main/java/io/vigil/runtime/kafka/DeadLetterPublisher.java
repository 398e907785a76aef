package io.vigil.runtime.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.Secrets;
import io.vigil.api.topic.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The one way a record reaches the dead-letter topic: unchanged (or, when its bytes carry a secret, a masked copy),
 * with headers saying where it came from and why; counted in {@code vigil.dlq.records} (stage, reason) and logged at
 * most once per second per reason. Details are masked like every other text that may hold a URL.
 */
public final class DeadLetterPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private final Producer<byte[], byte[]> producer;
    private final String dlqTopic;
    private final String stage;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final RateLimitedLog log = new RateLimitedLog(LOG, 1000);

    public DeadLetterPublisher(
            Producer<byte[], byte[]> producer, String dlqTopic, String stage, MeterRegistry registry) {
        this.producer = producer;
        this.dlqTopic = dlqTopic;
        this.stage = stage;
        this.registry = registry;
    }

    /** Dead-letters a consumed record; the future completes when the broker has it. */
    public CompletableFuture<RecordMetadata> publish(
            ConsumerRecord<byte[], byte[]> source, String reason, String detail) {
        return publish(source, source.value(), reason, detail);
    }

    /** Dead-letters a consumed record with {@code value} in place of its own (a masked copy). */
    public CompletableFuture<RecordMetadata> publish(
            ConsumerRecord<byte[], byte[]> source, byte[] value, String reason, String detail) {
        return publish(
                source.topic(),
                source.partition(),
                source.offset(),
                source.key(),
                value,
                source.headers(),
                reason,
                detail);
    }

    /** Dead-letters a record known by where it was read. */
    public CompletableFuture<RecordMetadata> publish(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Headers original,
            String reason,
            String detail) {
        String masked = Secrets.maskText(detail == null ? "" : detail);
        RecordHeaders headers = headers(original, topic, partition, offset, stage, reason, masked);
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(dlqTopic, null, key, value, headers), (meta, error) -> {
                if (error == null) {
                    sent.complete(meta);
                } else {
                    sent.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            sent.completeExceptionally(e);
        }
        counter(reason).increment();
        log.warn(reason, "Sent record {}-{}@{} to {}: {} ({})", topic, partition, offset, dlqTopic, reason, masked);
        return sent;
    }

    /** The dead-letter headers: the original ones plus where the record came from and why it was refused. */
    public static RecordHeaders headers(
            Headers original, String topic, int partition, long offset, String stage, String reason, String detail) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            original.forEach(headers::add);
        }
        headers.add(DeadLetters.SOURCE_TOPIC, utf8(topic));
        headers.add(DeadLetters.SOURCE_PARTITION, utf8(String.valueOf(partition)));
        headers.add(DeadLetters.SOURCE_OFFSET, utf8(String.valueOf(offset)));
        headers.add(DeadLetters.STAGE, utf8(stage));
        headers.add(DeadLetters.REASON, utf8(reason));
        headers.add(DeadLetters.DETAIL, utf8(detail == null ? "" : Secrets.maskText(detail)));
        return headers;
    }

    public Counter counter(String reason) {
        return counters.computeIfAbsent(
                reason,
                r -> Counter.builder("vigil.dlq.records")
                        .description("Records sent to the dead-letter topic")
                        .tag("stage", stage)
                        .tag("reason", r)
                        .register(registry));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
