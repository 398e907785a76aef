package io.vigil.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

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
}
