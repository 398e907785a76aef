package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * docker-compose.yml brought up for real, where a Docker engine exists (skipped without one). An extra check: the
 * same services are proven without Docker by the other tests (real broker, stages, Prometheus, dashboards).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeIT {
    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(new File("../docker-compose.yml"))
            .withBuild(true)
            .withEnv("VIGIL_ALERTS_TOKEN", "4d2b9e7f1a3c6085e2d1")
            .withEnv("VIGIL_CONSOLE_TOKENS", consoleTokens())
            .withExposedService(
                    "alerts",
                    9400,
                    Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(10)))
            .withExposedService("prometheus", 9090, Wait.forHttp("/-/ready").forStatusCode(200));

    /** A tokens file for the console service (one admin token, its digest only). */
    static String consoleTokens() {
        try {
            java.nio.file.Path f =
                    java.nio.file.Path.of("target", "compose-console-tokens").toAbsolutePath();
            java.nio.file.Files.createDirectories(f.getParent());
            java.nio.file.Files.writeString(
                    f,
                    io.vigil.console.access.Tokens.line(
                                    "admin", io.vigil.console.access.Role.ADMIN, io.vigil.console.access.Tokens.mint())
                            + "\n");
            return f.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theComposedPipelineComesUpAndServesMetrics() throws Exception {
        String host = COMPOSE.getServiceHost("alerts", 9400);
        int port = COMPOSE.getServicePort("alerts", 9400);
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("vigil_alerts_retries_total");
    }
}
