package io.vigil.runtime.loop;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ConsumerLoop} runs.
 *
 * @param name           the loop's name in logs, metrics ({@code loop} tag) and health checks
 * @param topics         the topics it subscribes to
 * @param commits        whether offsets are committed (a compacted topic that is re-read at every assignment is not)
 * @param pollTimeout    longest one poll waits for records
 * @param maxInFlight    unfinished records above which the loop pauses its partitions (resumed at half)
 * @param commitInterval how often finished offsets are committed
 * @param stuckAfter     an iteration older than this makes the loop not live: something blocks it
 * @param backoffMin     first wait after a retriable failure (broker away, send timed out)
 * @param backoffMax     waits double up to this
 * @param drainTimeout   at revocation and stop, how long unfinished records may take before they are abandoned
 */
public record LoopSettings(
        String name,
        List<String> topics,
        boolean commits,
        Duration pollTimeout,
        int maxInFlight,
        Duration commitInterval,
        Duration stuckAfter,
        Duration backoffMin,
        Duration backoffMax,
        Duration drainTimeout) {
    public LoopSettings {
        Objects.requireNonNull(name, "name");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("loop " + name + " has no topic");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("loop " + name + ": maxInFlight must be at least 1");
        }
    }

    /** Defaults for a loop that commits: 500 ms polls, 1,000 records in flight, commits every second. */
    public static LoopSettings committing(String name, String topic) {
        return new LoopSettings(
                name,
                List.of(topic),
                true,
                Duration.ofMillis(500),
                1_000,
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                Duration.ofMillis(200),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    /** Defaults for a loop whose topic is its state: never commits. */
    public static LoopSettings reading(String name, String topic) {
        return committing(name, topic).withCommits(false);
    }

    public LoopSettings withCommits(boolean commit) {
        return new LoopSettings(
                name,
                topics,
                commit,
                pollTimeout,
                maxInFlight,
                commitInterval,
                stuckAfter,
                backoffMin,
                backoffMax,
                drainTimeout);
    }

    public LoopSettings withPollTimeout(Duration d) {
        return new LoopSettings(
                name,
                topics,
                commits,
                d,
                maxInFlight,
                commitInterval,
                stuckAfter,
                backoffMin,
                backoffMax,
                drainTimeout);
    }

    public LoopSettings withMaxInFlight(int n) {
        return new LoopSettings(
                name,
                topics,
                commits,
                pollTimeout,
                n,
                commitInterval,
                stuckAfter,
                backoffMin,
                backoffMax,
                drainTimeout);
    }

    public LoopSettings withStuckAfter(Duration d) {
        return new LoopSettings(
                name,
                topics,
                commits,
                pollTimeout,
                maxInFlight,
                commitInterval,
                d,
                backoffMin,
                backoffMax,
                drainTimeout);
    }

    public LoopSettings withBackoff(Duration min, Duration max) {
        return new LoopSettings(
                name, topics, commits, pollTimeout, maxInFlight, commitInterval, stuckAfter, min, max, drainTimeout);
    }

    public LoopSettings withDrainTimeout(Duration d) {
        return new LoopSettings(
                name, topics, commits, pollTimeout, maxInFlight, commitInterval, stuckAfter, backoffMin, backoffMax, d);
    }
}
