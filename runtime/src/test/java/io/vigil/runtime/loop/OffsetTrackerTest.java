package io.vigil.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class OffsetTrackerTest {
    private final TopicPartition tp = new TopicPartition("t", 0);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyUpToTheFirstUnfinishedRecord() {
        long e = 0;
        for (long o = 10; o < 15; o++) {
            e = tracker.track(tp, o);
        }
        tracker.complete(tp, 10, e);
        tracker.complete(tp, 12, e);
        tracker.complete(tp, 13, e);
        assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(11));
        assertThat(tracker.inFlight()).isEqualTo(2);
        tracker.complete(tp, 11, e);
        assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(14));
        tracker.complete(tp, 14, e);
        Map<TopicPartition, OffsetAndMetadata> all = tracker.committable();
        assertThat(all).containsEntry(tp, new OffsetAndMetadata(15));
        tracker.committed(all);
        assertThat(tracker.committable()).isEmpty();
    }

    @Test
    void aRewindReadsFromTheFirstUnfinishedRecordAndIgnoresLateCompletions() {
        long e = 0;
        for (long o = 0; o < 4; o++) {
            e = tracker.track(tp, o);
        }
        tracker.complete(tp, 0, e);
        assertThat(tracker.rewind(tp)).isEqualTo(1);
        tracker.complete(tp, 1, e); // the abandoned attempt finishing late
        assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(1));
        long again = tracker.track(tp, 1);
        assertThat(again).isNotEqualTo(e);
        tracker.complete(tp, 1, again);
        assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(2));
        assertThat(tracker.rewind(tp)).isEqualTo(-1);
    }

    @Test
    void forgetsRevokedPartitions() {
        tracker.track(tp, 5);
        tracker.forget(List.of(tp));
        assertThat(tracker.inFlight()).isZero();
        assertThat(tracker.committable()).isEmpty();
    }
}
