package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.api.serde.JsonSerde;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The dashboards against real data: the whole pipeline (embedded broker, a real RTSP camera showing an enrolled
 * face, every stage) scraped by Debian's real Prometheus; every panel query of every dashboard must parse and
 * return data, and the alerting rules must load.
 */
class PrometheusDashboardsIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");

    @Test
    void everyPanelQueryReturnsDataFromTheRunningPipeline() throws Exception {
        Path home = Path.of("target", "prom-home-" + UUID.randomUUID()).toAbsolutePath();
        Settings settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_HOME",
                home.toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_MATCHER_COOLDOWN",
                "2s",
                "VIGIL_INGEST_ALLOW",
                "loopback")));
        Files.createDirectories(home);
        Path clip = SampleClip.build(
                List.of(
                        new SampleClip.Segment(Files.readAllBytes(JOHNS.resolve("John_Simm/000305_00470162.jpg")), 3),
                        new SampleClip.Segment(null, 1)),
                640,
                480,
                10,
                home.resolve("clip.h264"));
        try (RtspServer camera = RtspServer.start(clip, "/cam", 10);
                Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, true)) {
            String bootstrap = pipeline.bootstrap();
            assertThat(VigilCommandTest.run(
                                    "watchlist",
                                    "add",
                                    "--id",
                                    "john-simm",
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
                                    "door",
                                    "--url",
                                    camera.url(),
                                    "--fps",
                                    "4",
                                    "--bootstrap",
                                    bootstrap)
                            .exit())
                    .isZero();
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(
                                pipeline.topics().frames.name(),
                                "door".getBytes(StandardCharsets.UTF_8),
                                "corrupt".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> pipeline.registry()
                                            .find("vigil.matcher.alerts")
                                            .tag("outcome", "emitted")
                                            .counter()
                                    != null
                            && pipeline.registry()
                                            .find("vigil.matcher.alerts")
                                            .tag("outcome", "emitted")
                                            .counter()
                                            .count()
                                    >= 2);

            Path promDir = Files.createDirectories(home.resolve("prometheus"));
            Path config = promDir.resolve("prometheus.yml");
            Files.writeString(
                    config,
                    "global: {scrape_interval: 2s, evaluation_interval: 2s}\n"
                            + "rule_files: ["
                            + DeployFilesTest.DEPLOY
                                    .resolve("prometheus/vigil-rules.yml")
                                    .toAbsolutePath() + "]\n"
                            + "scrape_configs:\n  - job_name: vigil-matcher\n    static_configs: [{targets: ['127.0.0.1:"
                            + pipeline.httpPort() + "']}]\n");
            int port = RtspServer.freePort();
            Process prometheus = new ProcessBuilder(
                            "prometheus",
                            "--config.file=" + config,
                            "--storage.tsdb.path=" + promDir.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(promDir.resolve("prometheus.log").toFile())
                    .start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String api = "http://127.0.0.1:" + port + "/api/v1/";
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofSeconds(2))
                        .untilAsserted(() -> assertThat(query(http, api, "count(rate(vigil_ingest_frames_total[30s]))"))
                                .isNotEmpty());
                Thread.sleep(12_000); // a few more scrapes, so that 1-minute rates and quantiles have points
                List<String> failures = new ArrayList<>();
                Map<String, String> queries = DeployFilesTest.panelQueries();
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    try {
                        if (query(http, api, q.getValue()).isEmpty()) {
                            failures.add(q.getKey() + ": no data for " + q.getValue());
                        }
                    } catch (IllegalStateException e) {
                        failures.add(q.getKey() + ": " + e.getMessage());
                    }
                }
                System.out.printf(
                        "%d panel queries evaluated against Prometheus, %d failed%n", queries.size(), failures.size());
                failures.forEach(System.out::println);
                assertThat(failures).isEmpty();
                JsonNode rules = JsonSerde.MAPPER.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(api + "rules"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                assertThat(rules.findValues("name").stream()
                                .map(JsonNode::asText)
                                .toList())
                        .contains(
                                "VigilCameraDown",
                                "VigilCameraReconnectStorm",
                                "VigilInferenceLagGrowing",
                                "VigilMatcherDown",
                                "VigilAlertDeliveriesFailing",
                                "VigilAlertsMqttDisconnected",
                                "VigilWatchlistFalseAlarms");
            } finally {
                prometheus.destroy();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static JsonNode query(HttpClient http, String api, String promql) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(
                                URI.create(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JsonSerde.MAPPER.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalStateException(
                    "query failed: " + body.path("error").asText());
        }
        return body.path("data").path("result");
    }
}
