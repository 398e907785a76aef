package io.vigil.console.routes;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Fetches single records by partition and offset (kept photos), with one consumer, one fetch at a time. */
final class RecordAt implements AutoCloseable {
    private static final Duration FETCH = Duration.ofSeconds(5);
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private Consumer<byte[], byte[]> consumer;

    RecordAt(Supplier<Consumer<byte[], byte[]>> consumers) {
        this.consumers = consumers;
    }

    /** The value at {@code offset}, or null when the topic no longer holds it. */
    synchronized byte[] fetch(String topic, int partition, long offset) {
        if (consumer == null) {
            consumer = consumers.get();
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + FETCH.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() == offset) {
                    return r.value();
                }
                if (r.offset() > offset) {
                    return null; // compacted away
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
