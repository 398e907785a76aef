package io.vigil.console.routes;

import io.vigil.api.alert.Alert;
import io.vigil.api.audit.AuditEvent;
import io.vigil.console.access.Role;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.http.HttpRefusal;
import io.vigil.runtime.kafka.TopicTail;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * {@code /api/v1/alerts}: alerts by camera, person and capture time, within the alerts topic's retention; and
 * {@code /api/v1/audit}: the newest changes to cameras and people (admin only). Each search seeks every partition to
 * the start time and reads forward, at most {@code maxScan} records, and says when it stopped early.
 */
public final class AlertApi implements AutoCloseable {
    private static final Duration FETCH = Duration.ofSeconds(10);
    /** Alerts are matched a little after capture; the seek starts this much before {@code from}. */
    private static final Duration SLACK = Duration.ofMinutes(5);

    public record AlertPage(List<Alert> alerts, long scanned, boolean truncated) {}

    public record AuditPage(List<AuditEvent> events) {}

    private final Api api;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final int maxScan;
    private Consumer<byte[], byte[]> consumer;

    public AlertApi(Api api, Supplier<Consumer<byte[], byte[]>> consumers, int maxScan) {
        this.api = api;
        this.consumers = consumers;
        this.maxScan = maxScan;
    }

    public void register(HttpEndpoint http) {
        http.get("/api/v1/alerts", this::search);
        http.get("/api/v1/audit", this::audit);
    }

    private void search(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        Instant now = api.clock().instant();
        Instant from = Query.instant(call, "from", now.minus(Duration.ofDays(1)));
        Instant to = Query.instant(call, "to", now);
        int limit = Query.integer(call, "limit", 100, 1, 1000);
        String camera = call.query("camera");
        String person = call.query("person");
        if (to.isBefore(from)) {
            throw new HttpRefusal(400, "to (" + to + ") is before from (" + from + ")");
        }
        try {
            api.json(call, 200, search(from, to, camera, person, limit));
        } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
            throw new HttpRefusal(503, "cannot read the alerts topic now; try again");
        }
    }

    private synchronized AlertPage search(Instant from, Instant to, String camera, String person, int limit) {
        Consumer<byte[], byte[]> c = consumer();
        String topic = api.topics().alerts.name();
        List<TopicPartition> partitions = c.partitionsFor(topic, FETCH).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        c.assign(partitions);
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(tp -> since.put(tp, from.minus(SLACK).toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(since, FETCH);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, FETCH);
        Map<TopicPartition, Long> pending = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = starts.get(tp);
            if (start != null && start.offset() < ends.get(tp)) {
                c.seek(tp, start.offset());
                pending.put(tp, ends.get(tp));
            }
        }
        c.pause(partitions.stream().filter(tp -> !pending.containsKey(tp)).toList());
        PriorityQueue<Alert> newest = new PriorityQueue<>(Comparator.comparing(Alert::capturedAt));
        long scanned = 0;
        long deadline = System.nanoTime() + FETCH.toNanos();
        boolean truncated = false;
        while (!pending.isEmpty()) {
            if (scanned >= maxScan || System.nanoTime() > deadline) {
                truncated = true;
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long end = pending.get(tp);
                if (end == null || r.offset() >= end) {
                    continue;
                }
                scanned++;
                if (r.timestamp() > to.plus(SLACK).toEpochMilli()) {
                    pending.remove(tp);
                    c.pause(List.of(tp));
                    continue;
                }
                Alert a;
                try {
                    a = api.topics().alerts.valueSerde().deserializer().deserialize(topic, r.value());
                } catch (RuntimeException e) {
                    continue; // the alerts service dead-letters it
                }
                if (a.capturedAt().isBefore(from)
                        || a.capturedAt().isAfter(to)
                        || (camera != null && !camera.equals(a.cameraId()))
                        || (person != null && !person.equals(a.personId()))) {
                    continue;
                }
                newest.add(a);
                if (newest.size() > limit) {
                    newest.poll();
                }
            }
            pending.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
        }
        c.resume(c.paused());
        List<Alert> out = new ArrayList<>(newest);
        out.sort(Comparator.comparing(Alert::capturedAt).reversed());
        return new AlertPage(out, scanned, truncated);
    }

    private void audit(HttpCall call) throws IOException {
        api.require(call, Role.ADMIN);
        int limit = Query.integer(call, "limit", 100, 1, 1000);
        List<AuditEvent> events = new ArrayList<>();
        try {
            synchronized (this) {
                for (ConsumerRecord<byte[], byte[]> r :
                        TopicTail.newest(consumer(), api.topics().audit.name(), limit, FETCH)) {
                    try {
                        events.add(
                                api.topics().audit.valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } catch (RuntimeException e) {
                        // not an audit event: left out
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException | IllegalStateException e) {
            throw new HttpRefusal(503, "cannot read the audit topic now; try again");
        }
        java.util.Collections.reverse(events);
        api.json(call, 200, new AuditPage(events));
    }

    private Consumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            consumer = consumers.get();
        }
        return consumer;
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
            consumer = null;
        }
    }
}
