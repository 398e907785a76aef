package io.vigil.console.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.api.topic.VigilTopics;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.runtime.http.HttpEndpoint;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Who may call, and when: a token first, then the role, and nothing until the console has read the topics. */
class ApiTest {
    @Test
    void untilTheTopicsAreReadEveryCallWithAValidTokenGets503AndStrangersStill401() throws Exception {
        String token = Tokens.mint();
        Tokens tokens = Tokens.parse(List.of(Tokens.line("otto", Role.OPERATOR, token)), "t");
        AtomicBoolean ready = new AtomicBoolean(false);
        Api api = new Api(
                () -> tokens,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                new VigilTopics(),
                Clock.systemUTC(),
                new SimpleMeterRegistry(),
                Throwable::toString,
                ready::get);
        try (HttpEndpoint http =
                new HttpEndpoint("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            http.get("/api/v1/x", call -> api.json(call, 200, api.require(call, Role.OPERATOR)));
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + http.port() + "/api/v1/x");
            HttpResponse<String> early = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(early.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(early.body()).contains("still reading");
            assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("no token: refused before anything is said about readiness")
                    .isEqualTo(401);
            ready.set(true);
            HttpResponse<String> later = client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(later.statusCode()).isEqualTo(200);
            assertThat(later.body()).contains("\"name\":\"otto\"");
            assertThat(later.headers().firstValue("Cache-Control")).hasValue("no-store");
        }
    }
}
