package io.vigil.runtime.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads a compacted topic from the beginning to its current end, without a consumer group, and returns the latest
 * value per key (tombstones remove the key). Values that cannot be read are passed to {@code onInvalid}, not thrown.
 */
public final class CompactedTopicReader {
    private CompactedTopicReader() {}

    public static <V> Map<String, V> read(
            Map<String, Object> clientConfig,
            String topic,
            Deserializer<V> values,
            BiConsumer<String, RuntimeException> onInvalid,
            Duration timeout) {
        Map<String, V> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(clientConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "reading " + topic + " took longer than " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (key == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        latest.remove(key);
                        continue;
                    }
                    try {
                        latest.put(key, values.deserialize(topic, r.value()));
                    } catch (RuntimeException e) {
                        latest.remove(key);
                        onInvalid.accept(key, e);
                    }
                }
            }
        }
        return latest;
    }
}
