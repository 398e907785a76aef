package io.vigil.runtime.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side of a Vigil process: {@code /metrics} (Prometheus text), {@code /health/live} (200 while every
 * liveness check passes: a loop that died or is stuck fails it, so an orchestrator restarts the process) and
 * {@code /health/ready} (200 when every readiness check passes); both answer 503 naming the failing checks. Stages
 * add their own routes (the alerts service serves its page and stream here).
 *
 * <p>Every client is a stranger: requests are parsed without holding a thread, so half-sent requests cost only a
 * connection (bounded, and closed after the header timeout); routes run on a bounded pool; live streams are capped.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    private final String host;
    private final HttpLimits limits;
    private final Server server;
    private final QueuedThreadPool pool;
    private final ServerConnector connector;
    private final Semaphore streams;
    private final Counter refusedStreams;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Template> templates = new CopyOnWriteArrayList<>();
    private final Map<String, BooleanSupplier> readiness = new ConcurrentHashMap<>();
    private final Map<String, BooleanSupplier> liveness = new ConcurrentHashMap<>();

    public HttpEndpoint(String host, int port, PrometheusMeterRegistry registry) {
        this(host, port, registry, HttpLimits.DEFAULT);
    }

    public HttpEndpoint(String host, int port, PrometheusMeterRegistry registry, HttpLimits limits) {
        this.host = host;
        this.limits = limits;
        this.streams = new Semaphore(limits.maxStreams());
        // routes, streams, the acceptor and the selector: nothing else may take a thread
        pool = new QueuedThreadPool(limits.threads() + limits.maxStreams() + 2, 2);
        pool.setName("vigil-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        pool.setStopTimeout(2000);
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(limits.maxHeaderBytes());
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        Counter lateHeaders = Counter.builder("vigil.http.refused")
                .tag("reason", "header-timeout")
                .description("connections closed or requests refused to protect the server")
                .register(registry);
        connector.addEventListener(new HeaderDeadline(limits.headerTimeout(), connector.getScheduler(), lateHeaders));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        server.setHandler(new Dispatcher());
        refusedStreams = Counter.builder("vigil.http.refused")
                .tag("reason", "streams")
                .description("connections closed or requests refused to protect the server")
                .register(registry);
        Gauge.builder("vigil.http.streams", streams, s -> limits.maxStreams() - s.availablePermits())
                .description("live streams open")
                .register(registry);
        Gauge.builder(
                        "vigil.http.connections",
                        connector,
                        c -> c.getConnectedEndPoints().size())
                .description("open HTTP connections")
                .register(registry);
        get("/metrics", call -> call.respond(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        get("/health/live", call -> health(call, liveness));
        get("/health/ready", call -> health(call, readiness));
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new UncheckedIOException(
                    "cannot listen on " + host + ":" + port + " (" + e.getMessage()
                            + "); set VIGIL_HTTP_PORT to a free port, or 0 for any",
                    e instanceof IOException io ? io : new IOException(e));
        }
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

    /**
     * Serves GET (and HEAD) requests for exactly {@code path}, or for a template whose segments in braces match any
     * one non-empty segment, e.g. {@code /alerts/{alertId}/frame} ({@link HttpCall#pathParam}).
     */
    public void get(String path, Route route) {
        route("GET", path, route);
    }

    /** Serves POST requests for {@code path} (exact, or a template as for {@link #get}). */
    public void post(String path, Route route) {
        route("POST", path, route);
    }

    /** Serves PUT requests for {@code path} (exact, or a template as for {@link #get}). */
    public void put(String path, Route route) {
        route("PUT", path, route);
    }

    /** Serves DELETE requests for {@code path} (exact, or a template as for {@link #get}). */
    public void delete(String path, Route route) {
        route("DELETE", path, route);
    }

    private void route(String method, String path, Route route) {
        if (path.contains("{")) {
            templates.add(new Template(method, path.split("/", -1), route));
        } else {
            routes.put(method + " " + path, route);
        }
    }

    /** A route whose path has {@code {name}} segments. */
    private record Template(String method, String[] segments, Route route) {
        /** The segments' values by name, or null when the path does not fit. */
        Map<String, String> match(String m, String path) {
            return method.equals(m) ? fits(path) : null;
        }

        /** The segments' values by name when the path fits whatever the method, else null. */
        Map<String, String> fits(String path) {
            String[] given = path.split("/", -1);
            if (given.length != segments.length) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < given.length; i++) {
                String s = segments[i];
                if (s.startsWith("{") && s.endsWith("}")) {
                    if (given[i].isEmpty()) {
                        return null;
                    }
                    params.put(s.substring(1, s.length() - 1), given[i]);
                } else if (!s.equals(given[i])) {
                    return null;
                }
            }
            return params;
        }
    }

    /** Every route served, as {@code METHOD /path} with templates as written (for checking a published API). */
    public Set<String> routes() {
        Set<String> out = new TreeSet<>(routes.keySet());
        templates.forEach(t -> out.add(t.method() + " " + String.join("/", t.segments())));
        return out;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public HttpLimits limits() {
        return limits;
    }

    /** Whether only this machine can reach the server: it listens on a loopback address. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Threads of the server's pool at work now (the acceptor and the selector always are). */
    int busyThreads() {
        return pool.getBusyThreads();
    }

    boolean acquireStream() {
        if (streams.tryAcquire()) {
            return true;
        }
        refusedStreams.increment();
        return false;
    }

    void releaseStream() {
        streams.release();
    }

    private static void health(HttpCall call, Map<String, BooleanSupplier> checks) throws IOException {
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
                        .append(HttpCall.jsonEscape(name))
                        .append('"');
            }
        });
        call.responseHeader("Cache-Control", "no-store");
        if (failing.length() == 0) {
            call.respond(200, "application/json", "{\"status\":\"UP\"}");
        } else {
            call.respond(503, "application/json", "{\"status\":\"DOWN\",\"failing\":[" + failing + "]}");
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    /** The methods served for {@code path}, exact or by a template. */
    private Set<String> allowed(String path) {
        Set<String> methods = new TreeSet<>();
        for (String key : routes.keySet()) {
            int space = key.indexOf(' ');
            if (key.substring(space + 1).equals(path)) {
                methods.add(key.substring(0, space));
            }
        }
        for (Template t : templates) {
            if (t.fits(path) != null) {
                methods.add(t.method());
            }
        }
        return methods;
    }

    /** Finds the route, runs it on this (pool) thread, and ends the response whatever the route did. */
    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            String path = Request.getPathInContext(request);
            String verb = "HEAD".equals(method) ? "GET" : method;
            Route route = routes.get(verb + " " + path);
            HttpCall call = new HttpCall(request, response, HttpEndpoint.this);
            for (int i = 0; route == null && i < templates.size(); i++) {
                Map<String, String> params = templates.get(i).match(verb, path);
                if (params != null) {
                    route = templates.get(i).route();
                    call.pathParams(params);
                }
            }
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            try {
                Set<String> allowed = route == null ? allowed(path) : Set.of();
                if (route != null) {
                    route.handle(call);
                } else if (!allowed.isEmpty()) {
                    response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
                    call.error(405, method + " is not allowed here; use " + String.join(" or ", allowed));
                } else {
                    call.error(404, "no such path");
                }
                call.finish();
                callback.succeeded();
            } catch (HttpRefusal refusal) {
                try {
                    if (!call.committed()) {
                        call.error(refusal.status(), refusal.getMessage());
                    }
                    call.finish();
                    callback.succeeded();
                } catch (IOException e) {
                    call.finish();
                    callback.failed(e);
                }
            } catch (IOException | RuntimeException e) {
                call.finish();
                if (!(e instanceof IOException)) {
                    LOG.warn("HTTP route {} failed: {}", path, e.toString());
                }
                callback.failed(e);
            }
            return true;
        }
    }
}
