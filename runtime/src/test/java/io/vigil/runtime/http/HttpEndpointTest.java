package io.vigil.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

class HttpEndpointTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithJvmMetricsAndCommonTags() throws Exception {
        PrometheusMeterRegistry registry = Metrics.prometheus("ingest", "worker-7");
        Counter.builder("vigil.ingest.frames")
                .tag("outcome", "published")
                .register(registry)
                .increment(3);
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, registry)) {
            HttpResponse<String> r = get(http.port(), "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body())
                    .contains("jvm_memory_used_bytes{")
                    .contains("process_cpu_usage")
                    .contains(
                            "vigil_ingest_frames_total{instance=\"worker-7\",outcome=\"published\",service=\"ingest\"} 3.0");
        }
    }

    @Test
    void readinessFailsWhileAnyCheckFailsAndNamesIt() throws Exception {
        AtomicBoolean streaming = new AtomicBoolean(false);
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("ingest", "w"))) {
            http.readiness("ingest", streaming::get);
            assertThat(get(http.port(), "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(http.port(), "/health/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("\"ingest\"");
            streaming.set(true);
            assertThat(get(http.port(), "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBusyPortGivesAnErrorThatSaysHowToFixIt() {
        try (HttpEndpoint first = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("a", "b"))) {
            assertThatThrownBy(() -> new HttpEndpoint("127.0.0.1", first.port(), Metrics.prometheus("a", "b")))
                    .hasMessageContaining("VIGIL_HTTP_PORT");
        }
    }

    @Test
    void fiveHundredHalfSentRequestsDoNotStopHealthOrAStreamFromAnswering() throws Exception {
        List<Socket> halfOpen = new ArrayList<>();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"))) {
            http.get("/events", call -> {
                OutputStream out = call.stream("text/event-stream");
                out.write("data: hello\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            });
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket("127.0.0.1", http.port());
                s.getOutputStream()
                        .write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                halfOpen.add(s);
            }
            HttpClient bounded = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> health = bounded.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/health/live"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> events = bounded.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/events"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(events.body()).isEqualTo("data: hello\n\n");
            assertThat(http.busyThreads())
                    .as("half-sent requests hold no thread: only the acceptor and the selector work")
                    .isLessThanOrEqualTo(3);
        } finally {
            for (Socket s : halfOpen) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionThatTricklesItsHeadersIsClosedAtTheHeaderDeadline() throws Exception {
        HttpLimits limits = new HttpLimits(4, 4, 64, Duration.ofSeconds(30), Duration.ofMillis(500), 8192);
        PrometheusMeterRegistry registry = Metrics.prometheus("alerts", "t");
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, registry, limits);
                Socket s = new Socket("127.0.0.1", http.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            // one header byte every 100 ms: never idle for long, never finished
            drip.scheduleAtFixedRate(
                    () -> {
                        try {
                            out.write('X');
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    0,
                    100,
                    TimeUnit.MILLISECONDS);
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(registry.get("vigil.http.refused")
                            .tag("reason", "header-timeout")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
        } finally {
            drip.shutdownNow();
        }
    }

    @Test
    void aStreamOutlivesTheHeaderDeadline() throws Exception {
        HttpLimits limits = new HttpLimits(4, 4, 64, Duration.ofSeconds(30), Duration.ofMillis(300), 8192);
        CountDownLatch more = new CountDownLatch(1);
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"), limits)) {
            http.get("/events", call -> {
                OutputStream out = call.stream("text/event-stream");
                out.write("data: first\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    more.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.write("data: second\n\n".getBytes(StandardCharsets.UTF_8));
            });
            HttpResponse<InputStream> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/events"))
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("data: first");
            // well past the 300 ms header deadline, the stream is still open
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            more.countDown();
            assertThat(in.readLine()).isEmpty();
            assertThat(in.readLine()).isEqualTo("data: second");
        }
    }

    @Test
    void streamsBeyondTheCapGet503AndAreCounted() throws Exception {
        HttpLimits limits = new HttpLimits(4, 1, 64, Duration.ofSeconds(30), Duration.ofSeconds(10), 8192);
        PrometheusMeterRegistry registry = Metrics.prometheus("alerts", "t");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch opened = new CountDownLatch(1);
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, registry, limits)) {
            http.get("/events", call -> {
                OutputStream out = call.stream("text/event-stream");
                if (out == null) {
                    return;
                }
                out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                opened.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            URI events = URI.create("http://127.0.0.1:" + http.port() + "/events");
            CompletableFuture<HttpResponse<String>> first =
                    client.sendAsync(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> second =
                    client.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.body()).contains("VIGIL_HTTP_MAX_STREAMS=1");
            assertThat(registry.get("vigil.http.streams").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("vigil.http.refused")
                            .tag("reason", "streams")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(
                                    registry.get("vigil.http.streams").gauge().value())
                            .isZero());
            assertThat(client.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("the permit came back")
                    .isEqualTo(200);
        }
    }

    @Test
    void manySlowRequestsShareABoundedPoolAndAllComplete() throws Exception {
        HttpLimits limits = new HttpLimits(4, 2, 256, Duration.ofSeconds(30), Duration.ofSeconds(10), 8192);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"), limits)) {
            http.get("/slow", call -> {
                mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inside.decrementAndGet();
                call.respond(200, "text/plain", "done");
            });
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(HttpClient.newHttpClient()
                        .sendAsync(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/slow"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> inside.get() >= 4);
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            assertThat(mostInside.get())
                    .as("50 waiting requests run at most threads + streams at a time; the rest queue")
                    .isLessThanOrEqualTo(4 + 2);
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> c : calls) {
                assertThat(c.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
            }
        }
    }

    @Test
    void refusesOversizedHeadersUnknownPathsAndWrongMethods() throws Exception {
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("a", "b"))) {
            URI health = URI.create("http://127.0.0.1:" + http.port() + "/health/live");
            assertThat(client.send(
                                    HttpRequest.newBuilder(health)
                                            .header("X-Big", "a".repeat(10_000))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(431);
            HttpResponse<String> missing = get(http.port(), "/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"no such path\"}");
            HttpResponse<String> post = client.send(
                    HttpRequest.newBuilder(health)
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
            assertThat(get(http.port(), "/health/live").headers().firstValue("X-Content-Type-Options"))
                    .hasValue("nosniff");
        }
    }

    @Test
    void knowsWhetherOnlyThisMachineCanReachIt() {
        try (HttpEndpoint local = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("a", "b"));
                HttpEndpoint any = new HttpEndpoint("0.0.0.0", 0, Metrics.prometheus("a", "b"))) {
            assertThat(local.loopbackOnly()).isTrue();
            assertThat(any.loopbackOnly()).isFalse();
        }
    }
}
