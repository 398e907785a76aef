package io.vigil.alerts;

import io.vigil.alerts.stream.AlertHub;
import io.vigil.api.alert.Alert;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final AlertHub hub;
    private final AlertRecords records;
    private final AlertsMetrics metrics;
    private final Function<Throwable, String> explain;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile Consumer<byte[], byte[]> consumer;

    AlertFeed(
            Supplier<Consumer<byte[], byte[]>> consumers,
            String topic,
            AlertHub hub,
            AlertRecords records,
            AlertsMetrics metrics,
            Function<Throwable, String> explain) {
        this.consumers = consumers;
        this.topic = topic;
        this.hub = hub;
        this.records = records;
        this.metrics = metrics;
        this.explain = explain;
        this.thread = new Thread(this::run, "alerts-feed");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the feed has read back the topic and is following it. */
    boolean ready() {
        return ready;
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (Consumer<byte[], byte[]> c = consumers.get()) {
                consumer = c;
                if (!running) {
                    return;
                }
                follow(c);
                backoff = Duration.ofSeconds(1);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                ready = false;
                LOG.warn(
                        "Alerts feed failed ({}); reading the topic again in {} s",
                        explain.apply(e),
                        backoff.toSeconds());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(Consumer<byte[], byte[]> c) {
        List<TopicPartition> partitions = partitions(c);
        c.assign(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
        long perPartition = Math.max(1, hub.keep());
        Map<TopicPartition, Long> pending = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = Math.max(begin.get(tp), end.get(tp) - perPartition);
            c.seek(tp, from);
            if (end.get(tp) > from) {
                pending.put(tp, end.get(tp));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> backlog = new ArrayList<>();
        while (running && !pending.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                backlog.add(r);
            }
            pending.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
        }
        backlog.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
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
        while (running) {
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

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup(); // interrupting would make the consumer's close log an error
        } else {
            thread.interrupt(); // between consumers: waiting to try again
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
