package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.lifecycle.Stage;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker goes away for 90 seconds and comes back with its data: every stage resumes by itself (alerts reach the
 * webhook again, captured after the restart), and liveness stays UP throughout: waiting for a broker is not dying.
 */
class BrokerOutageIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");
    static final long OUTAGE_MS = 90_000;

    @Test
    void everyStageResumesAfterANinetySecondOutageAndStaysLiveThroughIt() throws Exception {
        Path home = Files.createDirectories(
                Path.of("target", "outage-" + UUID.randomUUID()).toAbsolutePath());
        List<String> delivered = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hook", ex -> {
            delivered.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        int brokerPort = EmbeddedKafka.freePort();
        int controllerPort = EmbeddedKafka.freePort();
        EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, controllerPort);
        Settings settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_HOME",
                home.toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_MATCHER_COOLDOWN",
                "2s",
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers(),
                "VIGIL_INGEST_ALLOW",
                "loopback",
                "VIGIL_INGEST_BACKOFF_MAX",
                "2s",
                "VIGIL_ALERTS_WEBHOOKS",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")));
        Path clip = SampleClip.build(
                List.of(EndToEndIT.seg(JOHNS.resolve("John_Simm/000305_00470162.jpg"))),
                640,
                480,
                10,
                home.resolve("cam.h264"));
        HttpClient http = HttpClient.newHttpClient();
        try (RtspServer camera = RtspServer.start(clip, "/one", 10);
                Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            String bootstrap = pipeline.bootstrap();
            URI live = URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/health/live");
            assertThat(VigilCommandTest.run(
                                    "watchlist",
                                    "add",
                                    "--id",
                                    "John_Simm",
                                    "--bootstrap",
                                    bootstrap,
                                    "--image",
                                    JOHNS.resolve("John_Simm/000288_00470387.jpg")
                                            .toString())
                            .exit())
                    .isZero();
            assertThat(VigilCommandTest.run(
                                    "camera",
                                    "add",
                                    "--id",
                                    "cam-1",
                                    "--url",
                                    camera.url(),
                                    "--fps",
                                    "4",
                                    "--bootstrap",
                                    bootstrap)
                            .exit())
                    .isZero();
            await().atMost(Duration.ofSeconds(120)).until(() -> !delivered.isEmpty());

            kafka.close();
            long stoppedAt = System.currentTimeMillis();
            int livenessChecks = 0;
            while (System.currentTimeMillis() - stoppedAt < OUTAGE_MS) {
                HttpResponse<String> r =
                        http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode())
                        .as(
                                "liveness %d s into the outage: %s",
                                (System.currentTimeMillis() - stoppedAt) / 1000, r.body())
                        .isEqualTo(200);
                livenessChecks++;
                await().pollDelay(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(6))
                        .until(() -> true);
            }
            kafka = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, controllerPort);
            long restartedAt = System.currentTimeMillis();
            int before = delivered.size();
            // an alert for a frame captured after the restart, delivered to the webhook: every stage is working again
            await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
                List<String> snapshot = List.copyOf(delivered); // the receiver keeps appending
                assertThat(snapshot.subList(before, snapshot.size())).anyMatch(d -> captured(d) > restartedAt);
            });
            long back = System.currentTimeMillis() - restartedAt;
            assertThat(pipeline.stages()).allMatch(Stage::live);
            assertThat(http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            System.out.printf(
                    "broker outage of %d s: liveness UP in %d checks; first alert captured after the restart"
                            + " delivered %d ms after it%n",
                    OUTAGE_MS / 1000, livenessChecks, back);
        } finally {
            receiver.stop(0);
            kafka.close();
        }
    }

    private static long captured(String alertJson) {
        int i = alertJson.indexOf("\"capturedAt\":\"");
        return Instant.parse(alertJson.substring(i + 14, alertJson.indexOf('"', i + 14)))
                .toEpochMilli();
    }
}
