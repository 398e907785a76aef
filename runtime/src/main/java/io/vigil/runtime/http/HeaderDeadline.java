package io.vigil.runtime.http;

import io.micrometer.core.instrument.Counter;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a new connection that has not completed its first request's headers in time: a client that trickles a
 * byte now and then (slowloris) never trips the idle timeout, but it does trip this.
 */
final class HeaderDeadline implements Connection.Listener {
    private final Duration timeout;
    private final Scheduler scheduler;
    private final Counter closed;

    HeaderDeadline(Duration timeout, Scheduler scheduler, Counter closed) {
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.closed = closed;
    }

    @Override
    public void onOpened(Connection connection) {
        scheduler.schedule(
                () -> {
                    if (connection.getMessagesIn() == 0
                            && connection.getEndPoint().isOpen()) {
                        closed.increment();
                        connection.getEndPoint().close();
                    }
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }
}
