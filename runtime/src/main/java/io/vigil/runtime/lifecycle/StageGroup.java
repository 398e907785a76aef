package io.vigil.runtime.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts stages in order and closes them in reverse order, once, from a JVM shutdown hook (Ctrl-C, SIGTERM) or
 * from {@link #close()}. Closing an upstream stage first would strand in-flight records, so order matters.
 */
public final class StageGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageGroup.class);
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Registers something to close at shutdown without starting it (it is already running). */
    public synchronized void add(AutoCloseable running) {
        started.push(running);
    }

    /** Registers something to close last, after everything registered so far (e.g. a test camera). */
    public synchronized void addFirst(AutoCloseable running) {
        started.addLast(running);
    }

    public synchronized void start(Stage stage) {
        stage.start();
        started.push(stage);
        LOG.info("Started {}", stage.name());
    }

    public void startAll(List<? extends Stage> stages) {
        stages.forEach(this::start);
    }

    /** Closes everything when the JVM is asked to stop. */
    public StageGroup closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "vigil-shutdown"));
        return this;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> toClose;
        synchronized (this) {
            toClose = List.copyOf(started);
            started.clear();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while stopping {}: {}", c, e.toString());
            }
        }
        LOG.info("Stopped");
        stopped.countDown();
    }
}
