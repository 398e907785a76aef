package io.vigil.matcher.stream;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes a removal reach the disk within the erasure lag. Kafka rolls a segment only when something is appended, and
 * compacts only rolled segments: on a quiet partition a tombstone would wait in the active segment, and the removed
 * person's record before it would stay, for as long as nobody writes there. So, once the lag has passed after a
 * removal, the matcher appends a tick (a tombstone of a reserved key, which is not a person) to that partition: the
 * segment with the removal rolls, and the cleaner drops the removed person's records. The enrolment photos topic,
 * keyed and partitioned alike, gets the same tick on the same partition, so the person's photos go with them.
 */
public final class ErasureTicks implements AutoCloseable {
    /** Keys starting with this are ticks, never people (person ids cannot start with '~'). */
    public static final String KEY_PREFIX = "~";

    private static final Logger LOG = LoggerFactory.getLogger(ErasureTicks.class);
    private static final byte[] KEY = (KEY_PREFIX + "erasure-tick").getBytes(StandardCharsets.UTF_8);
    private final Producer<byte[], byte[]> producer;
    private final List<String> topics;
    private final Duration lag;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watchlist-erasure");
        t.setDaemon(true);
        return t;
    });

    /** Ticks on {@code topics}: compacted topics keyed by person id with the same partition count. */
    public ErasureTicks(Producer<byte[], byte[]> producer, List<String> topics, Duration lag) {
        this.producer = producer;
        this.topics = List.copyOf(topics);
        this.lag = lag;
    }

    /** A person was removed on this partition: tick it once the lag has passed (plus a second, so the segment is due). */
    public void removed(int partition) {
        timer.schedule(() -> tick(partition), lag.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    }

    private void tick(int partition) {
        for (String topic : topics) {
            producer.send(new ProducerRecord<>(topic, partition, KEY, null), (meta, error) -> {
                if (error != null) {
                    LOG.warn("Could not append the erasure tick to {}-{}: {}", topic, partition, error.toString());
                }
            });
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
