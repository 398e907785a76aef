package io.vigil.console.routes;

import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The console's static documents: the web console at {@code /console/} (one page, a script and a stylesheet, no build
 * step) and the API's OpenAPI document at {@code /openapi.json}. They hold no data (the page calls the API with the
 * user's token), so they are served to anyone; the page may load only itself.
 */
public final class WebConsole {
    /** The page loads its own script and style, images from the API (blob URLs) and thumbnails (data URLs). */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final byte[] page = resource("web/index.html");
    private final byte[] script = resource("web/console.js");
    private final byte[] style = resource("web/console.css");
    private final byte[] openapi = resource("openapi.json");

    private static byte[] resource(String name) {
        try (InputStream in = WebConsole.class.getResourceAsStream("/io/vigil/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(HttpEndpoint http) {
        http.get("/console", call -> call.redirect("/console/"));
        http.get("/console/", this::page);
        http.get("/console/console.js", call -> asset(call, "text/javascript; charset=utf-8", script));
        http.get("/console/console.css", call -> asset(call, "text/css; charset=utf-8", style));
        http.get("/openapi.json", call -> asset(call, "application/json", openapi));
    }

    private void page(HttpCall call) throws IOException {
        call.responseHeader("Cache-Control", "no-cache").responseHeader("Content-Security-Policy", POLICY);
        call.respond(200, "text/html; charset=utf-8", page);
    }

    private static void asset(HttpCall call, String type, byte[] body) throws IOException {
        call.responseHeader("Cache-Control", "no-cache");
        call.respond(200, type, body);
    }
}
