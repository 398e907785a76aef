package io.vigil.console.routes;

import io.vigil.api.frame.Frame;
import io.vigil.api.topic.Topic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A camera's latest frame, read back from the frames topic: the camera's partition (its key decides it, as the
 * producer's partitioner does) is read backwards in windows from its end, for at most {@link #MAX_BACK} records.
 * One consumer, one request at a time: snapshots are for people checking a view, not a video feed.
 */
final class Snapshots implements AutoCloseable {
    /** Records looked back through per snapshot: a few seconds of a busy partition. */
    static final int MAX_BACK = 2000;

    private static final int WINDOW = 250;
    private static final Duration FETCH = Duration.ofSeconds(5);
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Topic<String, Frame> frames;
    private Consumer<byte[], byte[]> consumer;

    Snapshots(Supplier<Consumer<byte[], byte[]>> consumers, Topic<String, Frame> frames) {
        this.consumers = consumers;
        this.frames = frames;
    }

    /** The newest frame of {@code cameraId} in the last records of its partition, or null. */
    synchronized Frame latest(String cameraId) {
        if (consumer == null) {
            consumer = consumers.get();
        }
        byte[] key = cameraId.getBytes(StandardCharsets.UTF_8);
        int partitions = consumer.partitionsFor(frames.name(), FETCH).size();
        TopicPartition tp = new TopicPartition(frames.name(), Utils.toPositive(Utils.murmur2(key)) % partitions);
        List<TopicPartition> one = List.of(tp);
        long begin = consumer.beginningOffsets(one, FETCH).get(tp);
        long end = consumer.endOffsets(one, FETCH).get(tp);
        consumer.assign(one);
        for (long to = end; to > begin && end - to < MAX_BACK; to -= WINDOW) {
            long from = Math.max(begin, to - WINDOW);
            consumer.seek(tp, from);
            ConsumerRecord<byte[], byte[]> newest = null;
            long deadline = System.nanoTime() + FETCH.toNanos();
            while (consumer.position(tp) < to && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.offset() < to && r.value() != null && java.util.Arrays.equals(r.key(), key)) {
                        newest = r;
                    }
                }
            }
            if (newest != null) {
                try {
                    return frames.valueSerde().deserializer().deserialize(frames.name(), newest.value());
                } catch (RuntimeException e) {
                    return null; // not a frame: the inference stage dead-letters it
                }
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
