package io.vigil.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side of a Vigil process: {@code /metrics} (Prometheus text), {@code /health/live} (200 while every
 * liveness check passes: a loop that died or is stuck fails it, so an orchestrator restarts the process) and
 * {@code /health/ready} (200 when every readiness check passes); both answer 503 naming the failing checks.
 * Stages may add their own routes (the alerts service serves its page and stream here).
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> liveness = new ConcurrentHashMap<>();

    public HttpEndpoint(String host, int port, PrometheusMeterRegistry registry) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "); set VIGIL_HTTP_PORT to a free port, or 0 for any",
                    e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vigil-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(
                "/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", ex -> health(ex, liveness));
        server.createContext("/health/ready", ex -> health(ex, readiness));
        server.start();
        LOG.info("Metrics and health on http://{}:{}/metrics", host, port());
    }

    /** Adds a readiness check; {@code /health/ready} fails while any check returns false. */
    public void readiness(String name, BooleanSupplier check) {
        readiness.put(name, check);
    }

    /** Adds a liveness check; {@code /health/live} fails while any check returns false. */
    public void liveness(String name, BooleanSupplier check) {
        liveness.put(name, check);
    }

    /** Adds a route. */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange ex, Map<String, BooleanSupplier> checks) throws IOException {
        StringBuilder failing = new StringBuilder();
        checks.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                failing.append(failing.length() == 0 ? "" : ",")
                        .append('"')
                        .append(name)
                        .append('"');
            }
        });
        if (failing.length() == 0) {
            respond(ex, 200, "application/json", "{\"status\":\"UP\"}");
        } else {
            respond(ex, 503, "application/json", "{\"status\":\"DOWN\",\"failing\":[" + failing + "]}");
        }
    }

    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
