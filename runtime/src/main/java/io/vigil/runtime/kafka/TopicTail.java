package io.vigil.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The newest records of a topic, read without a consumer group: the last {@code n} of each partition, merged. */
public final class TopicTail {
    private TopicTail() {}

    /**
     * Up to {@code n} newest records of {@code topic} (by record timestamp, oldest first), leaving {@code consumer}
     * assigned to every partition at its end, so that a caller may go on following the topic.
     */
    public static List<ConsumerRecord<byte[], byte[]>> newest(
            Consumer<byte[], byte[]> consumer, String topic, int n, Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> pending = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = Math.max(begin.get(tp), end.get(tp) - n);
            consumer.seek(tp, from);
            if (end.get(tp) > from) {
                pending.put(tp, end.get(tp));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "reading the end of " + topic + " took over " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    out.add(r);
                }
            }
            pending.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        // what arrived after the end as it was is read again by the caller's next poll, not lost
        end.forEach(consumer::seek);
        out.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        return out.size() > n ? new ArrayList<>(out.subList(out.size() - n, out.size())) : out;
    }
}
