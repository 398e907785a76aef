package io.vigil.alerts.stream;

import com.sun.net.httpserver.HttpExchange;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.JsonSerde;
import io.vigil.runtime.metrics.HttpEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HTTP routes of the alerts service: {@code /} (the live page), {@code /alerts/stream} (Server-Sent Events, filters
 * {@code camera} and {@code person}) and {@code /alerts/recent?limit=N}. With a token configured every route needs
 * {@code Authorization: Bearer TOKEN} or {@code ?token=TOKEN} (EventSource cannot send headers); else 401.
 */
public final class AlertRoutes {
    private static final long HEARTBEAT_MS = 15_000;
    private final AlertHub hub;
    private final String token;
    private final byte[] page;

    public AlertRoutes(AlertHub hub, String token) {
        this.hub = hub;
        this.token = token;
        try (InputStream in = AlertRoutes.class.getResourceAsStream("/io/vigil/alerts/index.html")) {
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the alerts page is missing from the jar", e);
        }
    }

    public void register(HttpEndpoint http) {
        http.route("/alerts/stream", this::stream);
        http.route("/alerts/recent", this::recent);
        http.route("/", this::page);
    }

    private boolean authorised(HttpExchange ex, Map<String, String> q) throws IOException {
        if (token == null) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : q.get("token");
        if (given != null
                && MessageDigest.isEqual(
                        given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        HttpEndpoint.respond(ex, 401, "application/json", "{\"error\":\"a valid bearer token is required\"}");
        return false;
    }

    private void page(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            HttpEndpoint.respond(ex, 404, "text/plain", "not found");
            return;
        }
        if (!authorised(ex, query(ex))) {
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, page.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(page);
        }
    }

    private void recent(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        if (!authorised(ex, q)) {
            return;
        }
        int limit;
        try {
            limit = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("limit", "50"))));
        } catch (NumberFormatException e) {
            HttpEndpoint.respond(ex, 400, "application/json", "{\"error\":\"limit must be an integer 1..1000\"}");
            return;
        }
        List<Alert> alerts = hub.recent(limit, q.get("camera"), q.get("person"));
        HttpEndpoint.respond(ex, 200, "application/json", JsonSerde.MAPPER.writeValueAsString(alerts));
    }

    private void stream(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        if (!authorised(ex, q)) {
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        AlertHub.Subscriber sub = hub.subscribe(q.get("camera"), q.get("person"));
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                Alert a = sub.queue.poll(HEARTBEAT_MS, TimeUnit.MILLISECONDS);
                String event = a == null
                        ? ": ping\n\n"
                        : "id: " + a.alertId() + "\nevent: alert\ndata: " + JsonSerde.MAPPER.writeValueAsString(a)
                                + "\n\n";
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server is stopping
        } finally {
            hub.unsubscribe(sub);
        }
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> m = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(
                        URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
