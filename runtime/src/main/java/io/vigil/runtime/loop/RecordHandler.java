package io.vigil.runtime.loop;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * What a stage supplies to a {@link ConsumerLoop}: how to handle one record. Everything else (the consumer, its
 * thread, polling, rebalances, retries, commits, dead letters, liveness) is the loop's. Every method runs on the
 * loop's thread.
 */
public interface RecordHandler {
    /**
     * Handles one record. Returns when the record's work has been started; the returned stage completes when it is
     * done (typically with the acknowledgement of what it sent), and only then may its offset be committed. A record
     * that should not be processed is refused by throwing, or completing with, a {@link RejectedRecordException}: it
     * then goes to the dead-letter topic with that reason. Any other failure goes there as {@code processing-failed};
     * a Kafka {@code RetriableException} makes the loop read the record again later.
     *
     * @return the record's completion, or null when the record was handled synchronously
     */
    CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> record) throws Exception;

    /** The longest the next poll may wait: a stage holding a batch wants it back when the batch is due. */
    default long maxPollWaitMs() {
        return Long.MAX_VALUE;
    }

    /** Called after every poll, also an empty one: the time to send a batch that is full or has waited long enough. */
    default void afterPoll() throws Exception {}

    /** Partitions assigned to this loop; the consumer may be used to seek (the loop's thread only). */
    default void assigned(Collection<TopicPartition> partitions, Consumer<byte[], byte[]> consumer) {}

    /** Partitions about to move to another member (or lost): finish or drop what is held for them. */
    default void revoked(Collection<TopicPartition> partitions) {}

    /** The loop is stopping: finish what is held (the loop then waits for the completions it was given). */
    default void stopping() {}
}
