package io.vigil.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fetches single records by partition and offset (an alert's frame, a person's kept photos): one consumer, made on
 * first use, no group, one fetch at a time.
 */
public final class RecordFetcher implements AutoCloseable {
    private static final Duration FETCH = Duration.ofSeconds(5);
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private Consumer<byte[], byte[]> consumer;

    public RecordFetcher(Supplier<Consumer<byte[], byte[]>> consumers) {
        this.consumers = consumers;
    }

    /**
     * The record at {@code offset}, or null when the topic no longer holds it (deleted by retention, compacted
     * away, or an aborted write); throws when the broker cannot be read within a few seconds.
     */
    public synchronized ConsumerRecord<byte[], byte[]> fetch(String topic, int partition, long offset) {
        if (consumer == null) {
            consumer = consumers.get();
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        List<TopicPartition> one = List.of(tp);
        long begin = consumer.beginningOffsets(one, FETCH).get(tp);
        long end = consumer.endOffsets(one, FETCH).get(tp);
        if (offset < begin || offset >= end) {
            return null;
        }
        consumer.assign(one);
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + FETCH.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return r;
                }
                if (r.offset() > offset) {
                    return null;
                }
            }
            if (consumer.position(tp) > offset) {
                return null;
            }
        }
        throw new IllegalStateException("timed out reading " + tp + " at " + offset);
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
