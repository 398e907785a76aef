package io.vigil.runtime.http;

import java.time.Duration;

/**
 * What HTTP clients may hold of a Vigil process ({@code VIGIL_HTTP_*}, read by the common config). A connection that has sent no complete
 * request costs no thread, only one of {@code maxConnections}, and is closed after {@code headerTimeout}.
 *
 * @param threads        threads serving ordinary requests (metrics, health, recent alerts, the page)
 * @param maxStreams     live alert streams at once, each holding one more thread; more get 503
 * @param maxConnections open connections at once; beyond it the server stops accepting until one closes
 * @param idleTimeout    a connection with no traffic this long is closed (streams send a heartbeat well within it)
 * @param headerTimeout  a new connection must complete its first request's headers within this
 * @param maxHeaderBytes largest request line plus headers; larger gets 431
 */
public record HttpLimits(
        int threads,
        int maxStreams,
        int maxConnections,
        Duration idleTimeout,
        Duration headerTimeout,
        int maxHeaderBytes) {
    public static final HttpLimits DEFAULT =
            new HttpLimits(16, 32, 2048, Duration.ofSeconds(30), Duration.ofSeconds(10), 8192);

    public HttpLimits {
        if (threads < 1 || maxStreams < 0 || maxConnections < 1 || maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("HTTP limits out of range: " + threads + " threads, " + maxStreams
                    + " streams, " + maxConnections + " connections, " + maxHeaderBytes + " header bytes");
        }
        if (idleTimeout.toMillis() < 1000 || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts out of range: idle " + idleTimeout + ", header "
                    + headerTimeout + " (idle at least 1 s, header above 0)");
        }
    }

    /** How often a live stream must send something so that the idle timeout never closes it. */
    public Duration heartbeat() {
        Duration half = idleTimeout.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(15)) < 0 ? half : Duration.ofSeconds(15);
    }
}
