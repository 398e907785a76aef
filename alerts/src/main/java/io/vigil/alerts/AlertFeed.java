package io.vigil.alerts;

import io.vigil.alerts.stream.AlertHub;
import io.vigil.api.alert.Alert;
import io.vigil.runtime.kafka.Follower;
import io.vigil.runtime.kafka.TopicTail;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds the live stream, the page and the recent list from every partition of the alerts topic, outside any consumer
 * group: however many alerts replicas run, each one's viewers see every alert. On start it reads back the newest
 * alerts of each partition (up to what the hub keeps), publishes them oldest first, then follows the topic. It never
 * commits; a failure (the broker away) restarts it after a pause, reading back again, and the hub drops what it has
 * already seen. A record that breaks the schema is skipped here: the sinks' loops dead-letter it.
 */
final class AlertFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REFRESH = Duration.ofSeconds(30);
    private static final Duration READ_BACK = Duration.ofSeconds(60);
    private final String topic;
    private final AlertHub hub;
    private final AlertRecords records;
    private final AlertsMetrics metrics;
    private final Follower follower;
    private volatile boolean ready;

    AlertFeed(
            Supplier<Consumer<byte[], byte[]>> consumers,
            String topic,
            AlertHub hub,
            AlertRecords records,
            AlertsMetrics metrics,
            Function<Throwable, String> explain) {
        this.topic = topic;
        this.hub = hub;
        this.records = records;
        this.metrics = metrics;
        this.follower =
                new Follower("alerts-feed", "Alerts feed", consumers, this::follow, explain, () -> ready = false);
    }

    void start() {
        follower.start();
    }

    /** Whether the feed has read back the topic and is following it. */
    boolean ready() {
        return ready;
    }

    private void follow(Consumer<byte[], byte[]> c, BooleanSupplier running) {
        List<TopicPartition> partitions = partitions(c);
        // the newest alerts of every partition, oldest first, then the topic as it grows
        List<ConsumerRecord<byte[], byte[]>> backlog = TopicTail.newest(c, topic, Math.max(1, hub.keep()), READ_BACK);
        for (ConsumerRecord<byte[], byte[]> r : backlog) {
            publish(r, false);
        }
        ready = true;
        LOG.info(
                "Alerts feed follows {} partition(s) of {}; {} alert(s) read back",
                partitions.size(),
                topic,
                backlog.size());
        long refreshAt = System.nanoTime() + REFRESH.toNanos();
        while (running.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                publish(r, true);
            }
            if (System.nanoTime() > refreshAt) {
                refreshAt = System.nanoTime() + REFRESH.toNanos();
                List<TopicPartition> now = partitions(c);
                if (now.size() != partitions.size()) {
                    List<TopicPartition> added = new ArrayList<>(now);
                    added.removeAll(partitions);
                    c.assign(now);
                    c.seekToBeginning(added);
                    partitions = now;
                    LOG.info("Alerts feed: {} now has {} partition(s)", topic, now.size());
                }
            }
        }
    }

    private List<TopicPartition> partitions(Consumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; run `vigil topics`");
        }
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : infos) {
            out.add(new TopicPartition(p.topic(), p.partition()));
        }
        return out;
    }

    private void publish(ConsumerRecord<byte[], byte[]> r, boolean live) {
        Alert alert;
        try {
            alert = records.read(r);
        } catch (RejectedRecordException e) {
            return;
        }
        if (alert != null && hub.publish(alert) && live) {
            metrics.delivered("stream", "delivered", alert.capturedAt());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
