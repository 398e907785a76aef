package io.vigil.runtime.loop;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets may be committed when records finish out of order: per partition, the committable offset is one past
 * the highest offset below which every tracked record has finished. Used by the loop thread only. A rewind (after a
 * send failed for good) bumps the partition's epoch, so late completions of the abandoned attempt are ignored.
 */
final class OffsetTracker {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    private static final class Partition {
        final TreeSet<Long> pending = new TreeSet<>();
        long epoch;
        long next = -1; // one past the highest offset tracked
        long committed = -1;
    }

    /** Starts tracking a record; returns the epoch its completion must carry. */
    long track(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        p.pending.add(offset);
        p.next = Math.max(p.next, offset + 1);
        return p.epoch;
    }

    /** Marks a record finished; ignored when the partition was rewound or revoked since it was tracked. */
    void complete(TopicPartition tp, long offset, long epoch) {
        Partition p = partitions.get(tp);
        if (p != null && p.epoch == epoch) {
            p.pending.remove(offset);
        }
    }

    /** The offset to commit per partition, only where it moved since the last {@link #committed}. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long upTo = position(p);
            if (upTo > p.committed) {
                out.put(tp, new OffsetAndMetadata(upTo));
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /**
     * Abandons the partition's unfinished records so they can be read again: returns the offset to seek to (the
     * first unfinished one), or -1 when nothing is unfinished.
     */
    long rewind(TopicPartition tp) {
        Partition p = partitions.get(tp);
        if (p == null || p.pending.isEmpty()) {
            return -1;
        }
        long from = p.pending.first();
        p.pending.clear();
        p.next = from;
        p.epoch++;
        return from;
    }

    /** Forgets partitions that moved to another member. */
    void forget(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    /** Records tracked but not finished, over every partition. */
    int inFlight() {
        return partitions.values().stream().mapToInt(p -> p.pending.size()).sum();
    }

    /** Unfinished records of these partitions. */
    int inFlight(Collection<TopicPartition> tps) {
        return tps.stream()
                .map(partitions::get)
                .filter(p -> p != null)
                .mapToInt(p -> p.pending.size())
                .sum();
    }

    private static long position(Partition p) {
        return p.pending.isEmpty() ? p.next : p.pending.first();
    }
}
