package io.vigil.alerts.stream;

import io.vigil.alerts.access.Access;
import io.vigil.alerts.access.LoginRoutes;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.JsonSerde;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP routes of the alerts service: {@code /} (the live page), {@code /alerts/stream} (Server-Sent Events, filters
 * {@code camera} and {@code person}) and {@code /alerts/recent?limit=N}. With a token configured every one of them
 * needs {@code Authorization: Bearer TOKEN} or the session cookie of a login (see {@link Access}); the page sends a
 * browser without either to {@code /login}, the others answer 401. Alert data is never cached.
 */
public final class AlertRoutes {
    private final AlertHub hub;
    private final Access access;
    private final byte[] page;
    private final byte[] script;
    private final byte[] style;

    public AlertRoutes(AlertHub hub, Access access) {
        this.hub = hub;
        this.access = access;
        this.page = resource("index.html");
        this.script = resource("page.js");
        this.style = resource("page.css");
    }

    private static byte[] resource(String name) {
        try (InputStream in = AlertRoutes.class.getResourceAsStream("/io/vigil/alerts/" + name)) {
            return in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the alerts page's " + name + " is missing from the jar", e);
        }
    }

    public void register(HttpEndpoint http) {
        new LoginRoutes(access).register(http);
        http.get("/", this::page);
        http.get("/page.js", call -> asset(call, "text/javascript; charset=utf-8", script));
        http.get("/page.css", call -> asset(call, "text/css; charset=utf-8", style));
        http.get("/alerts/recent", this::recent);
        http.get("/alerts/stream", this::stream);
    }

    private boolean admitted(HttpCall call) throws IOException {
        if (access.admits(call)) {
            return true;
        }
        call.responseHeader("WWW-Authenticate", "Bearer").responseHeader("Cache-Control", "no-store");
        call.error(
                401, "log in at /login, or send Authorization: Bearer TOKEN (the alerts service's VIGIL_ALERTS_TOKEN)");
        return false;
    }

    private void page(HttpCall call) throws IOException {
        if (!access.admits(call)) {
            call.redirect("/login");
            return;
        }
        call.responseHeader("Cache-Control", "no-store")
                .responseHeader("Content-Security-Policy", LoginRoutes.PAGE_POLICY);
        call.respond(200, "text/html; charset=utf-8", page);
    }

    /** The page's script and stylesheet hold nothing secret: the login page needs them before any login. */
    private static void asset(HttpCall call, String type, byte[] body) throws IOException {
        call.responseHeader("Cache-Control", "no-cache");
        call.respond(200, type, body);
    }

    private void recent(HttpCall call) throws IOException {
        if (!admitted(call)) {
            return;
        }
        int limit;
        try {
            String given = call.query("limit");
            limit = given == null ? 50 : Integer.parseInt(given);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            call.error(400, "limit must be an integer 1..1000");
            return;
        }
        List<Alert> alerts = hub.recent(limit, call.query("camera"), call.query("person"));
        call.responseHeader("Cache-Control", "no-store");
        call.respond(200, "application/json", JsonSerde.MAPPER.writeValueAsBytes(alerts));
    }

    private void stream(HttpCall call) throws IOException {
        if (!admitted(call)) {
            return;
        }
        call.responseHeader("Cache-Control", "no-store").responseHeader("X-Accel-Buffering", "no");
        OutputStream out = call.stream("text/event-stream; charset=utf-8");
        if (out == null) {
            return;
        }
        long heartbeatMs = call.heartbeat().toMillis();
        // a reconnecting EventSource sends the id of the last alert it received
        AlertHub.Subscriber sub =
                hub.subscribe(call.query("camera"), call.query("person"), call.header("Last-Event-ID"));
        try {
            out.write(": connected\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                Alert a = sub.queue.poll(heartbeatMs, TimeUnit.MILLISECONDS);
                String event = a == null
                        ? ": ping\n\n"
                        : "id: " + a.alertId() + "\nevent: alert\ndata: " + JsonSerde.MAPPER.writeValueAsString(a)
                                + "\n\n";
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.unsubscribe(sub);
        }
    }
}
