package io.vigil.console.state;

import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.topic.VigilTopics;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.runtime.kafka.Follower;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the console shows, followed from the compacted topics outside any consumer group (every replica sees
 * everything): cameras, their latest status, the watchlist (without embeddings, except up to a limit for the duplicate
 * check) and where each person's enrolment photos are (partition and offset, fetched when asked for). A value that
 * does not parse is counted and left out; the stages that consume those topics dead-letter it. On a failure it reads
 * everything again from the start, after a pause.
 */
public final class Tables implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tables.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** A watchlist entry as the console lists it. */
    public record Person(
            String id,
            String name,
            Double threshold,
            Map<String, String> metadata,
            long enrolledAtMs,
            String model,
            int embeddings) {
        static Person of(WatchlistEntry e) {
            return new Person(
                    e.personId(),
                    e.displayName(),
                    e.threshold(),
                    e.metadata(),
                    e.enrolledAtMs(),
                    e.model(),
                    e.embeddings().size());
        }
    }

    /** Where a person's kept photos are, and how many. */
    public record PhotosAt(int partition, long offset, int count) {}

    private final VigilTopics topics;
    private final int maxHeldEmbeddings;
    private final Map<String, CameraSpec> cameras = new ConcurrentHashMap<>();
    private final Map<String, CameraStatus> status = new ConcurrentHashMap<>();
    private final Map<String, Person> people = new ConcurrentHashMap<>();
    private final Map<String, List<float[]>> embeddings = new ConcurrentHashMap<>();
    private final AtomicLong heldEmbeddings = new AtomicLong();
    private volatile boolean overflow;
    private final Map<String, PhotosAt> photos = new ConcurrentHashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private final Follower follower;
    private volatile boolean ready;

    public Tables(
            Supplier<Consumer<byte[], byte[]>> consumers,
            VigilTopics topics,
            int maxHeldEmbeddings,
            Function<Throwable, String> explain) {
        this.topics = topics;
        this.maxHeldEmbeddings = maxHeldEmbeddings;
        this.follower =
                new Follower("console-tables", "Console tables", consumers, this::follow, explain, () -> ready = false);
    }

    public void start() {
        follower.start();
    }

    /** Whether every topic has been read up to where it ended when reading began. */
    public boolean ready() {
        return ready;
    }

    public Map<String, CameraSpec> cameras() {
        return cameras;
    }

    public Map<String, CameraStatus> status() {
        return status;
    }

    public Map<String, Person> people() {
        return people;
    }

    public Map<String, PhotosAt> photos() {
        return photos;
    }

    /** Values that could not be read since start. */
    public long unreadable() {
        return unreadable.get();
    }

    /**
     * Every enrolled person's embeddings, or null when the watchlist holds more than the console keeps for the
     * duplicate check.
     */
    public Map<String, List<float[]>> embeddings() {
        return overflow ? null : embeddings;
    }

    /** Records a camera this console just wrote (null = removed), so the next read shows it. */
    public void camera(String id, CameraSpec spec) {
        if (spec == null) {
            cameras.remove(id);
        } else {
            cameras.put(id, spec);
        }
    }

    /** Records a person this console just wrote (null = removed), so the next read shows it. */
    public void person(String id, WatchlistEntry entry) {
        if (entry == null) {
            people.remove(id);
            photos.remove(id);
            forget(id);
        } else {
            people.put(id, Person.of(entry));
            hold(id, entry.embeddings());
        }
    }

    private void hold(String id, List<float[]> vectors) {
        forget(id);
        if (overflow) {
            return;
        }
        if (heldEmbeddings.get() + vectors.size() > maxHeldEmbeddings) {
            // from here on the duplicate check says it was skipped, until the watchlist is read again
            overflow = true;
            embeddings.clear();
            heldEmbeddings.set(0);
            return;
        }
        embeddings.put(id, vectors);
        heldEmbeddings.addAndGet(vectors.size());
    }

    private void forget(String id) {
        List<float[]> old = embeddings.remove(id);
        if (old != null) {
            heldEmbeddings.addAndGet(-old.size());
        }
    }

    private void follow(Consumer<byte[], byte[]> c, BooleanSupplier running) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : List.of(
                topics.cameras.name(),
                topics.cameraStatus.name(),
                topics.watchlist.name(),
                topics.enrolmentPhotos.name())) {
            c.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        cameras.clear();
        status.clear();
        people.clear();
        photos.clear();
        embeddings.clear();
        heldEmbeddings.set(0);
        overflow = false;
        while (running.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                apply(r);
            }
            if (!ready && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                ready = true;
                LOG.info(
                        "Console tables read: {} cameras, {} people ({} unreadable values left out)",
                        cameras.size(),
                        people.size(),
                        unreadable.get());
            }
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            unreadable.incrementAndGet();
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        String topic = r.topic();
        try {
            if (topic.equals(topics.cameras.name())) {
                CameraSpec spec = r.value() == null
                        ? null
                        : topics.cameras.valueSerde().deserializer().deserialize(topic, r.value());
                if (spec != null && !spec.id().equals(key)) {
                    throw new IllegalArgumentException("camera '" + spec.id() + "' under key '" + key + "'");
                }
                camera(key, spec);
            } else if (topic.equals(topics.cameraStatus.name())) {
                if (r.value() == null) {
                    status.remove(key);
                } else {
                    status.put(
                            key, topics.cameraStatus.valueSerde().deserializer().deserialize(topic, r.value()));
                }
            } else if (topic.equals(topics.watchlist.name())) {
                WatchlistEntry e = r.value() == null
                        ? null
                        : topics.watchlist.valueSerde().deserializer().deserialize(topic, r.value());
                if (e != null && !e.personId().equals(key)) {
                    throw new IllegalArgumentException("entry of '" + e.personId() + "' under key '" + key + "'");
                }
                person(key, e);
            } else if (r.value() == null) {
                photos.remove(key);
            } else {
                EnrolmentPhotos p =
                        topics.enrolmentPhotos.valueSerde().deserializer().deserialize(topic, r.value());
                photos.put(
                        key, new PhotosAt(r.partition(), r.offset(), p.photos().size()));
            }
        } catch (RuntimeException e) {
            unreadable.incrementAndGet();
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
