package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.alerts.access.Access;
import io.vigil.api.alert.Alert;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Who may see alerts, proven against the real alerts stage on a real broker. */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsAccessIT {
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLoginSetsAnHttpOnlyStrictSessionCookieThatAdmitsThePageAndItsData(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "acc1.");
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            String base = "http://127.0.0.1:" + http.port();

            HttpResponse<String> page = get(base + "/");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
            HttpResponse<String> form = get(base + "/login");
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(form.body()).contains("<form class=\"login\" method=\"post\" action=\"/login\">");
            assertThat(form.headers().firstValue("Content-Security-Policy"))
                    .hasValueSatisfying(csp -> assertThat(csp).contains("frame-ancestors 'none'"));

            HttpResponse<String> wrong = post(base + "/login", "token=not-the-token-0123");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(wrong.body()).contains("<p id=\"failed\">");

            HttpResponse<String> login =
                    post(base + "/login", "token=" + URLEncoder.encode(AlertsIT.TOKEN, StandardCharsets.UTF_8));
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location"))
                    .hasValueSatisfying(
                            l -> assertThat(l).doesNotContain(AlertsIT.TOKEN).endsWith("/"));
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(setCookie)
                    .startsWith(Access.COOKIE + "=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict")
                    .contains("Path=/")
                    .contains("Max-Age=43200")
                    .doesNotContain(AlertsIT.TOKEN);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertThat(get(base + "/", "Cookie", cookie).statusCode()).isEqualTo(200);
            HttpResponse<String> recent = get(base + "/alerts/recent", "Cookie", cookie);
            assertThat(recent.statusCode()).isEqualTo(200);
            assertThat(recent.headers().firstValue("Cache-Control")).hasValue("no-store");

            String value = cookie.substring(cookie.indexOf('=') + 1);
            long expiry = Long.parseLong(value.substring(0, value.indexOf('.')));
            String extended = Access.COOKIE + "=" + (expiry + 86_400) + value.substring(value.indexOf('.'));
            HttpResponse<String> forged = get(base + "/alerts/recent", "Cookie", extended);
            assertThat(forged.statusCode())
                    .as("a session whose expiry was pushed out")
                    .isEqualTo(401);
            assertThat(forged.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(get(base + "/alerts/recent", "Cookie", Access.COOKIE + "=1.abc")
                            .statusCode())
                    .isEqualTo(401);

            HttpResponse<String> logout = post(base + "/logout", "", "Cookie", cookie);
            assertThat(logout.statusCode()).isEqualTo(303);
            assertThat(logout.headers().firstValue("Set-Cookie"))
                    .hasValueSatisfying(
                            c -> assertThat(c).startsWith(Access.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        }
    }

    @Test
    void refusesToServeBeyondLoopbackWithoutAToken(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "acc2.");
        try (HttpEndpoint http = new HttpEndpoint("0.0.0.0", 0, Metrics.prometheus("alerts", "t"))) {
            assertThatThrownBy(() -> env.stage(Map.of(), new SimpleMeterRegistry(), http))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VIGIL_ALERTS_TOKEN")
                    .hasMessageContaining("openssl rand")
                    .hasMessageContaining("VIGIL_HTTP_HOST=127.0.0.1");
        }
        try (HttpEndpoint http = new HttpEndpoint("0.0.0.0", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            assertThat(get("http://127.0.0.1:" + http.port() + "/alerts/recent").statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void fiveHundredHalfOpenConnectionsDoNotStopHealthOrTheAlertsStream(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "acc3.");
        List<Socket> halfOpen = new ArrayList<>();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            String base = "http://127.0.0.1:" + http.port();
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket("127.0.0.1", http.port());
                s.getOutputStream()
                        .write("GET /alerts/stream HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                halfOpen.add(s);
            }
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);

            List<String> received = new CopyOnWriteArrayList<>();
            Thread sse = AlertsIT.sse(client, base + "/alerts/stream", AlertsIT.TOKEN, received);
            await().atMost(Duration.ofSeconds(10)).until(() -> stage.hub().subscribers() == 1);
            Alert alert = AlertsIT.alert("gate", "p-busy", 1);
            env.publish(alert);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(alert.alertId()));
            sse.interrupt();
        } finally {
            for (Socket s : halfOpen) {
                s.close();
            }
        }
    }
}
