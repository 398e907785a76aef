package io.vigil.matcher.stream;

import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where refused watchlist records go. The global store's processor cannot forward to a sink, so the matcher stage
 * gives it a producer of its own; every instance reads the whole watchlist, so each reports a refused record.
 */
@FunctionalInterface
public interface WatchlistDeadLetters {
    WatchlistDeadLetters NONE = (where, key, value, reason, detail) -> {};

    void send(RecordMetadata where, byte[] key, byte[] value, String reason, String detail);

    /** A person was removed by a tombstone on this partition (the stage then makes sure it is compacted away). */
    default void removed(int partition) {}
}
