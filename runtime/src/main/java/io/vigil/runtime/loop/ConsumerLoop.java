package io.vigil.runtime.loop;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.RateLimitedLog;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one supervised consumer loop every stage runs (in the manner of Kafka Connect's {@code WorkerTask}): it owns
 * the consumer and its thread, subscribes, polls, hands each record to the stage's {@link RecordHandler}, and
 * <ul>
 *   <li>isolates failures per record: a refused or failing record goes to the dead-letter topic with its reason and
 *       the loop goes on; only a fatal JVM error, or the cluster refusing this client, ends it;</li>
 *   <li>retries retriable failures (broker away, a send or commit that timed out) with capped, jittered backoff; a
 *       record whose send failed for good is read again (the partition is rewound), never skipped;</li>
 *   <li>commits a partition's offset only up to the first record not yet finished, so every send a record made was
 *       acknowledged before it is committed (at least once), and pauses its partitions while too much is in flight;</li>
 *   <li>finishes what is in flight at revocation and stop, wakes the consumer to stop, and joins its thread;</li>
 *   <li>is {@link #live()} only while its thread runs and its iterations keep coming: {@code /health/live} then
 *       turns DOWN for a loop that died or is stuck, so an orchestrator restarts the process.</li>
 * </ul>
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 5_000);
    private final LoopSettings settings;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final RecordHandler handler;
    private final DeadLetterPublisher dlq;
    private final Function<Throwable, String> explain;
    private final LoopMetrics metrics;
    private final MeterRegistry registry;
    private final OffsetTracker tracker = new OffsetTracker();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final Set<TopicPartition> toRewind = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Thread thread;
    private Consumer<byte[], byte[]> consumer;
    private volatile boolean stopping;
    private volatile boolean started;
    private volatile Throwable failure;
    private volatile long lastIterationNanos = System.nanoTime();
    private volatile int inFlight;
    private volatile boolean everAssigned;
    private int retryAttempt;
    private long nextCommitNanos;
    private long rewindAtNanos;

    /** A record's work finished ({@code error} null) or failed; {@code deadLetter} when it was the dead-letter send. */
    private record Completion(ConsumerRecord<byte[], byte[]> record, long epoch, Throwable error, boolean deadLetter) {}

    /**
     * @param consumers creates the loop's consumer on its own thread (byte-array keys and values; the stage decodes,
     *                  so that an unreadable record is that record's failure, not the loop's)
     * @param dlq       where refused and failing records go
     */
    public ConsumerLoop(
            LoopSettings settings,
            Supplier<Consumer<byte[], byte[]>> consumers,
            RecordHandler handler,
            DeadLetterPublisher dlq,
            MeterRegistry registry) {
        this(settings, consumers, handler, dlq, registry, Failures::describe);
    }

    /**
     * @param explain the sentence for a failure that ends the loop (a refusal by the cluster names the principal,
     *                the resource and the ACL to ask for)
     */
    public ConsumerLoop(
            LoopSettings settings,
            Supplier<Consumer<byte[], byte[]>> consumers,
            RecordHandler handler,
            DeadLetterPublisher dlq,
            MeterRegistry registry,
            Function<Throwable, String> explain) {
        this.settings = settings;
        this.consumers = consumers;
        this.handler = handler;
        this.dlq = dlq;
        this.explain = explain;
        this.registry = registry;
        this.metrics = new LoopMetrics(this);
        this.thread = new Thread(this::run, settings.name());
        this.thread.setUncaughtExceptionHandler((t, e) -> died(e));
    }

    public String name() {
        return settings.name();
    }

    public ConsumerLoop start() {
        metrics.bindTo(registry);
        started = true;
        thread.start();
        return this;
    }

    /** True while the loop's thread runs and is not stuck (or it was stopped on purpose). */
    public boolean live() {
        if (failure != null) {
            return false;
        }
        if (stopping || !started) {
            return true;
        }
        return thread.isAlive()
                && System.nanoTime() - lastIterationNanos
                        < settings.stuckAfter().toNanos();
    }

    /** True once the loop has been given partitions at least once and is live. */
    public boolean ready() {
        return everAssigned && live();
    }

    /** Why the loop died, or null. */
    public Throwable failure() {
        return failure;
    }

    /** Why the loop died, in one sentence (the explanation it logged), or null. */
    public String failureText() {
        Throwable f = failure;
        return f == null ? null : explain.apply(f);
    }

    /** Records handed to the stage and not yet finished. */
    public int inFlight() {
        return inFlight;
    }

    private void run() {
        try {
            consumer = consumers.get();
            consumer.subscribe(settings.topics(), new Rebalance());
            while (!stopping) {
                lastIterationNanos = System.nanoTime();
                rewindIfDue();
                ConsumerRecords<byte[], byte[]> records = poll();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    handle(r);
                }
                afterPoll();
                drain();
                flowControl();
                commit(false);
            }
            finish();
        } catch (WakeupException e) {
            if (!stopping) {
                died(e);
            } else {
                finish();
            }
        } catch (Throwable t) {
            died(t);
        } finally {
            closeConsumer();
        }
    }

    private ConsumerRecords<byte[], byte[]> poll() {
        try {
            long waitMs = Math.min(settings.pollTimeout().toMillis(), handler.maxPollWaitMs());
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(Math.max(0, waitMs)));
            retryAttempt = 0;
            return records;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!Failures.retriable(e)) {
                throw e;
            }
            metrics.retry("poll").increment();
            warn.warn("poll", "Loop {}: poll failed ({}); retrying", settings.name(), Failures.describe(e));
            backoff();
            return ConsumerRecords.empty();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        long epoch = settings.commits() ? tracker.track(tp, r.offset()) : 0;
        CompletionStage<?> done;
        try {
            done = handler.handle(r);
        } catch (Throwable t) {
            if (Failures.fatal(t)) {
                throw sneaky(t);
            }
            done = CompletableFuture.failedFuture(t);
        }
        if (done == null) {
            done = CompletableFuture.completedFuture(null);
        }
        done.whenComplete((v, error) -> completions.add(new Completion(r, epoch, error, false)));
    }

    private void afterPoll() {
        try {
            handler.afterPoll();
        } catch (Throwable t) {
            if (Failures.fatal(t)) {
                throw sneaky(t);
            }
            warn.warn(
                    "after-poll", "Loop {}: the stage failed after a poll: {}", settings.name(), Failures.describe(t));
        }
    }

    /** Applies finished work: offsets become committable, failures go to the dead-letter topic or are read again. */
    private void drain() {
        Completion c;
        while ((c = completions.poll()) != null) {
            TopicPartition tp =
                    new TopicPartition(c.record().topic(), c.record().partition());
            if (c.error() == null) {
                tracker.complete(tp, c.record().offset(), c.epoch());
            } else if (Failures.retriable(c.error())) {
                metrics.retry("send").increment();
                warn.warn(
                        "send",
                        "Loop {}: a send for {}@{} failed ({}); the partition will be read again from its"
                                + " first unfinished record",
                        settings.name(),
                        tp,
                        c.record().offset(),
                        Failures.describe(c.error()));
                scheduleRewind(tp);
            } else if (c.deadLetter()) {
                throw new IllegalStateException(
                        "cannot write to the dead-letter topic: " + Failures.describe(c.error()),
                        Failures.unwrap(c.error()));
            } else if (Failures.refused(c.error())) {
                throw new IllegalStateException(
                        "the cluster refused a send: " + Failures.describe(c.error()), Failures.unwrap(c.error()));
            } else {
                deadLetter(c);
            }
        }
        inFlight = tracker.inFlight();
    }

    private void deadLetter(Completion c) {
        Throwable error = Failures.unwrap(c.error());
        CompletableFuture<?> sent;
        if (error instanceof RejectedRecordException rejected) {
            byte[] value = rejected.deadLetterValue() != null
                    ? rejected.deadLetterValue()
                    : c.record().value();
            sent = dlq.publish(c.record(), value, rejected.reason(), rejected.getMessage());
        } else {
            warn.warn(
                    "processing-failed",
                    "Loop {}: processing {}-{}@{} failed: {}",
                    settings.name(),
                    c.record().topic(),
                    c.record().partition(),
                    c.record().offset(),
                    Failures.describe(error));
            LOG.debug("Processing failure in loop {}", settings.name(), error);
            sent = dlq.publish(c.record(), "processing-failed", Failures.describe(error));
        }
        Completion failed = c;
        sent.whenComplete((v, e) -> completions.add(new Completion(failed.record(), failed.epoch(), e, true)));
    }

    private void scheduleRewind(TopicPartition tp) {
        if (settings.commits() && toRewind.add(tp) && toRewind.size() == 1) {
            rewindAtNanos = System.nanoTime() + delayMs(retryAttempt++) * 1_000_000;
        }
    }

    private void rewindIfDue() {
        if (toRewind.isEmpty() || System.nanoTime() < rewindAtNanos) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition tp : toRewind) {
            long from = tracker.rewind(tp);
            if (from >= 0 && assigned.contains(tp)) {
                consumer.seek(tp, from);
                LOG.info("Loop {}: reading {} again from offset {}", settings.name(), tp, from);
            }
        }
        toRewind.clear();
    }

    private void flowControl() {
        if (paused.isEmpty() && inFlight >= settings.maxInFlight()) {
            paused.addAll(consumer.assignment());
            consumer.pause(paused);
            warn.warn(
                    "paused", "Loop {}: {} records in flight; pausing until half are done", settings.name(), inFlight);
        } else if (!paused.isEmpty() && inFlight <= settings.maxInFlight() / 2) {
            paused.retainAll(consumer.assignment());
            consumer.resume(paused);
            paused.clear();
        }
    }

    private void commit(boolean now) {
        if (!settings.commits() || (!now && System.nanoTime() < nextCommitNanos)) {
            return;
        }
        nextCommitNanos = System.nanoTime() + settings.commitInterval().toNanos();
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            tracker.committed(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.info(
                    "Loop {}: commit refused by a rebalance ({}); the new owner reads from the last commit",
                    settings.name(),
                    e.getClass().getSimpleName());
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!Failures.retriable(e)) {
                throw e;
            }
            metrics.retry("commit").increment();
            warn.warn(
                    "commit",
                    "Loop {}: commit failed ({}); retrying with the next one",
                    settings.name(),
                    Failures.describe(e));
        }
    }

    /** Waits (up to the drain timeout) for the given partitions' unfinished records, applying completions. */
    private void awaitFinished(Collection<TopicPartition> tps) {
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (tracker.inFlight(tps) > 0 && System.nanoTime() < deadline) {
            drain();
            if (tracker.inFlight(tps) > 0) {
                sleep(10);
            }
        }
        drain();
    }

    /** Stopping: the stage finishes what it holds, the loop waits for it and commits. */
    private void finish() {
        try {
            handler.stopping();
            awaitFinished(consumer.assignment());
            commit(true);
        } catch (WakeupException e) {
            commit(true); // the wakeup that stopped us was consumed by a call after the poll
        }
        LOG.info("Loop {} stopped", settings.name());
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            handler.revoked(partitions);
            awaitFinished(partitions);
            commit(true);
            tracker.forget(partitions);
            paused.removeAll(partitions);
            toRewind.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            everAssigned = true;
            if (!paused.isEmpty()) {
                paused.addAll(partitions);
                consumer.pause(partitions);
            }
            handler.assigned(partitions, consumer);
            if (!partitions.isEmpty()) {
                LOG.info("Loop {} assigned {} partition(s)", settings.name(), partitions.size());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            handler.revoked(partitions);
            tracker.forget(partitions);
            paused.removeAll(partitions);
            toRewind.removeAll(partitions);
        }
    }

    private void backoff() {
        sleep(delayMs(retryAttempt++));
    }

    private long delayMs(int attempt) {
        long cap = settings.backoffMax().toMillis();
        long d = Math.min(cap, settings.backoffMin().toMillis() << Math.min(attempt, 20));
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    private void sleep(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        while (!stopping && System.nanoTime() < end) {
            lastIterationNanos = System.nanoTime();
            try {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void died(Throwable t) {
        if (failure != null) {
            return;
        }
        failure = t;
        LOG.error(
                "Loop {} died: {}. /health/live now reports it DOWN so that the process is restarted",
                settings.name(),
                explain.apply(t),
                t);
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Loop {}: closing the consumer failed: {}", settings.name(), e.toString());
            }
        }
    }

    /** Stops the loop: finishes what is in flight (up to the drain timeout), commits, closes the consumer. */
    @Override
    public void close() {
        stopping = true;
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(settings.drainTimeout().toMillis() + 15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("Loop {} did not stop in time", settings.name());
            }
        }
        metrics.close();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}
