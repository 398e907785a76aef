package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.api.serde.JsonSerde;
import io.vigil.broker.EmbeddedKafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Debian's headless Chromium driven over the DevTools protocol: navigate, evaluate JavaScript, screenshot. */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private final Process process;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    public Browser(Path profile) throws Exception {
        int port = EmbeddedKafka.freePort();
        List<String> cmd = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,640",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile.toAbsolutePath(),
                "about:blank"));
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        HttpClient http = HttpClient.newHttpClient();
        String wsUrl = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (wsUrl == null && System.nanoTime() < deadline) {
            try {
                JsonNode list = JsonSerde.MAPPER.readTree(http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                for (JsonNode t : list) {
                    if ("page".equals(t.path("type").asText())) {
                        wsUrl = t.get("webSocketDebuggerUrl").asText();
                    }
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        if (wsUrl == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium's DevTools endpoint did not come up");
        }
        ws = http.newWebSocketBuilder()
                .buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                    private final StringBuilder buf = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            try {
                                JsonNode msg = JsonSerde.MAPPER.readTree(buf.toString());
                                if (msg.has("id")) {
                                    CompletableFuture<JsonNode> f =
                                            pending.remove(msg.get("id").asInt());
                                    if (f != null) {
                                        f.complete(msg);
                                    }
                                }
                            } catch (IOException ignored) {
                                // not for us
                            }
                            buf.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    public JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JsonSerde.MAPPER.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JsonSerde.MAPPER.valueToTree(params));
        ws.sendText(JsonSerde.MAPPER.writeValueAsString(msg), true);
        return f.get(30, TimeUnit.SECONDS);
    }

    public void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    public String eval(String expression) throws Exception {
        return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true))
                .path("result")
                .path("result")
                .path("value")
                .asText();
    }

    public String dom() throws Exception {
        return eval("document.documentElement.outerHTML");
    }

    public void screenshot(Path png) throws Exception {
        String data = call("Page.captureScreenshot", Map.of("format", "png"))
                .path("result")
                .path("data")
                .asText();
        Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static Duration settle() {
        return Duration.ofSeconds(20);
    }
}
