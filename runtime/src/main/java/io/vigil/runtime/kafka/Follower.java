package io.vigil.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A daemon thread that follows topics with a consumer of its own, outside any consumer group (what a page or a view
 * shows, every replica alike). A failure (the broker away) closes the consumer, calls {@code onFailure}, and after a
 * capped, doubling pause starts the body again with a new consumer: the body reads back what it needs each time.
 */
public final class Follower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What the thread does with each consumer, for as long as {@code running} says. */
    @FunctionalInterface
    public interface Body {
        void follow(Consumer<byte[], byte[]> consumer, BooleanSupplier running);
    }

    private final String what;
    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Body body;
    private final Function<Throwable, String> explain;
    private final Runnable onFailure;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<byte[], byte[]> consumer;

    /**
     * @param what      names the follower in logs, e.g. "Alerts feed"
     * @param explain   a failure in one line, for the log
     * @param onFailure called on each failure before the pause (e.g. to stop saying it is ready)
     */
    public Follower(
            String threadName,
            String what,
            Supplier<Consumer<byte[], byte[]>> consumers,
            Body body,
            Function<Throwable, String> explain,
            Runnable onFailure) {
        this.what = what;
        this.consumers = consumers;
        this.body = body;
        this.explain = explain;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (Consumer<byte[], byte[]> c = consumers.get()) {
                consumer = c;
                if (!running) {
                    return;
                }
                body.follow(c, () -> running);
                backoff = Duration.ofSeconds(1);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                onFailure.run();
                LOG.warn("{} failed ({}); reading again in {} s", what, explain.apply(e), backoff.toSeconds());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                consumer = null;
            }
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
