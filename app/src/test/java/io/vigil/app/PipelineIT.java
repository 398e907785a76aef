package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.lifecycle.Stage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** {@code vigil run all} without a bootstrap: the embedded broker, topics, /metrics; and a clean stop. */
class PipelineIT {

    @Test
    void runAllStartsTheEmbeddedBrokerCreatesTopicsAndServesMetrics() throws Exception {
        Path home = Path.of("target", "home-" + UUID.randomUUID()).toAbsolutePath();
        Settings settings =
                Settings.load(new ConfigReader(Map.of("VIGIL_HOME", home.toString(), "VIGIL_HTTP_PORT", "0")));
        String bootstrap;
        try (Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, true)) {
            bootstrap = pipeline.bootstrap();
            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("service=\"all\"");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get())
                        .contains(
                                "vigil.cameras",
                                "vigil.frames",
                                "vigil.faces",
                                "vigil.watchlist",
                                "vigil.enrolment-photos",
                                "vigil.alerts",
                                "vigil.camera-status",
                                "vigil.dlq");
            }
        }
        assertThat(home.resolve("kafka/log/meta.properties")).exists();
    }

    @Test
    void aSecondRunReusesTheBrokersDataAndTheMatcherRejoinsWithoutWaitingForItsOldSelf() throws Exception {
        Path home = Path.of("target", "home-" + UUID.randomUUID()).toAbsolutePath();
        Settings settings =
                Settings.load(new ConfigReader(Map.of("VIGIL_HOME", home.toString(), "VIGIL_HTTP_PORT", "0")));
        try (Pipeline first = Pipeline.start(settings, StageKind.ALL, true)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> first.stages().stream().allMatch(Stage::ready));
            VigilCommandTest.run(
                    "camera",
                    "add",
                    "--id",
                    "kept",
                    "--url",
                    "rtsp://127.0.0.1:9/none",
                    "--bootstrap",
                    first.bootstrap());
        }
        byte[] meta = Files.readAllBytes(home.resolve("kafka/log/meta.properties"));
        try (Pipeline second = Pipeline.start(settings, StageKind.ALL, true)) {
            assertThat(VigilCommandTest.run("camera", "ls", "--bootstrap", second.bootstrap())
                            .out())
                    .contains("kept");
            // a session timeout is 45 s: a matcher that had to wait for its previous member would miss this bound
            Awaitility.await()
                    .atMost(Duration.ofSeconds(35))
                    .until(() -> second.stages().stream().allMatch(Stage::ready));
        }
        assertThat(Files.readAllBytes(home.resolve("kafka/log/meta.properties")))
                .isEqualTo(meta);
    }

    @Test
    void aSingleStageWithoutBootstrapIsRefusedWithTheFix() {
        Settings settings = Settings.load(new ConfigReader(Map.of()));
        assertThatThrownBy(() -> Pipeline.start(settings, StageKind.MATCHER, false))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("VIGIL_KAFKA_BOOTSTRAP");
    }
}
