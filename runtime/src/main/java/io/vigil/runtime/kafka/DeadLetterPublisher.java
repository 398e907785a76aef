package io.vigil.runtime.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.topic.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Copies a record a stage cannot process to the dead-letter topic, unchanged, with headers saying where it came
 * from and why; counts it in {@code vigil.dlq.records} (stage, reason) and logs it at most once per second per reason.
 */
public final class DeadLetterPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private final Producer<byte[], byte[]> producer;
    private final String dlqTopic;
    private final String stage;
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final RateLimitedLog log = new RateLimitedLog(LOG, 1000);

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, String dlqTopic, String stage, MeterRegistry registry) {
        this.producer = producer;
        this.dlqTopic = dlqTopic;
        this.stage = stage;
        this.registry = registry;
    }

    public void publish(ConsumerRecord<byte[], byte[]> source, String reason, String detail) {
        RecordHeaders headers = new RecordHeaders();
        source.headers().forEach(headers::add);
        headers.add(DeadLetters.SOURCE_TOPIC, utf8(source.topic()));
        headers.add(DeadLetters.SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(DeadLetters.SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(DeadLetters.STAGE, utf8(stage));
        headers.add(DeadLetters.REASON, utf8(reason));
        headers.add(DeadLetters.DETAIL, utf8(detail == null ? "" : detail));
        producer.send(new ProducerRecord<>(dlqTopic, null, source.key(), source.value(), headers));
        counter(reason).increment();
        log.warn(reason, "Sent record {}-{}@{} to {}: {} ({})", source.topic(), source.partition(), source.offset(),
                dlqTopic, reason, detail);
    }

    public Counter counter(String reason) {
        return counters.computeIfAbsent(reason, r -> Counter.builder("vigil.dlq.records")
                .description("Records sent to the dead-letter topic")
                .tag("stage", stage).tag("reason", r).register(registry));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
