package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.AccessControl;
import io.vigil.app.pipeline.AccessControl.Role;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.Certificates;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The whole pipeline over SASL_SSL against a real broker (Kafka's own server with a TLS listener from a CA made here,
 * SCRAM users and the standard authorizer): every stage as its own principal with exactly the ACLs
 * {@link AccessControl} lists (and {@code vigil acls} prints), an operator enrolling and registering with the CLI, an
 * intruder refused with a clear reason, and a stage missing one ACL failing its start with the ACL to ask for.
 */
class SecureKafkaIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");

    @Test
    void everyStageRunsAsItsOwnPrincipalWithExactlyTheDocumentedAcls() throws Exception {
        Path dir = Files.createDirectories(
                Path.of("target", "secure-" + UUID.randomUUID()).toAbsolutePath());
        Map<String, String> users = new LinkedHashMap<>();
        for (String u : List.of(
                "admin",
                "vigil-ingest",
                "vigil-inference",
                "vigil-matcher",
                "vigil-alerts",
                "vigil-console",
                "operator",
                "intruder",
                "alerts-without-group")) {
            users.put(u, u + "-" + UUID.randomUUID().toString().substring(0, 8));
        }
        EmbeddedKafka.Security security =
                new EmbeddedKafka.Security(Certificates.create(dir.resolve("tls")), users, "admin");
        Path clip = SampleClip.build(
                List.of(EndToEndIT.seg(JOHNS.resolve("John_Simm/000305_00470162.jpg"))),
                640,
                480,
                10,
                dir.resolve("cam.h264"));
        List<Pipeline> stages = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), security);
                RtspServer camera = RtspServer.start(clip, "/one", 10);
                AutoCloseable stopStagesFirst = () -> stages.forEach(Pipeline::close)) {
            Env env = new Env(dir, kafka, security);
            String admin = env.file("admin").toString();
            String operator = env.file("operator").toString();

            // the administrator creates the topics and grants each principal its role, as the README says
            assertThat(VigilCommandTest.run("topics", "--config", admin).exit()).isZero();
            List<String> grants = List.of(
                    "ingest=User:vigil-ingest",
                    "inference=User:vigil-inference",
                    "matcher=User:vigil-matcher",
                    "alerts=User:vigil-alerts",
                    "console=User:vigil-console",
                    "operator=User:operator");
            List<String> applyArgs = new ArrayList<>(List.of("acls", "--config", admin, "--apply"));
            grants.forEach(g -> {
                applyArgs.add("--grant");
                applyArgs.add(g);
            });
            VigilCommandTest.Result applied = VigilCommandTest.run(applyArgs.toArray(new String[0]));
            assertThat(applied.exit()).as(applied.err()).isZero();
            try (Admin a = Admin.create(env.client("admin"))) {
                List<AclBinding> present =
                        new ArrayList<>(a.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY)
                                .values()
                                .get());
                List<AclBinding> documented = new ArrayList<>();
                for (String g : grants) {
                    String[] rp = g.split("=", 2);
                    documented.addAll(AccessControl.acls(
                            Role.valueOf(rp[0].toUpperCase(java.util.Locale.ROOT)), rp[1], env.settings("admin")));
                }
                assertThat(present).containsExactlyInAnyOrderElementsOf(documented); // exactly these, nothing more
            }

            // every stage as its own principal, creating no topic
            for (String[] s : new String[][] {
                {"vigil-alerts", "alerts"},
                {"vigil-matcher", "matcher"},
                {"vigil-inference", "inference"},
                {"vigil-ingest", "ingest"},
                {"vigil-console", "console"}
            }) {
                stages.add(Pipeline.start(env.settings(s[0]), StageKind.parse(s[1]), false));
            }

            // the operator enrols and registers with the CLI
            VigilCommandTest.Result enrol = VigilCommandTest.run(
                    "watchlist",
                    "add",
                    "--id",
                    "John_Simm",
                    "--config",
                    operator,
                    "--image",
                    JOHNS.resolve("John_Simm/000288_00470387.jpg").toString());
            assertThat(enrol.exit()).as(enrol.err()).isZero();
            VigilCommandTest.Result add = VigilCommandTest.run(
                    "camera", "add", "--id", "cam-1", "--url", camera.url(), "--fps", "4", "--config", operator);
            assertThat(add.exit()).as(add.err()).isZero();
            VigilCommandTest.Result tail = VigilCommandTest.run(
                    "alerts", "tail", "--config", operator, "--from-beginning", "--max", "1", "--timeout", "150");
            assertThat(tail.out()).as(tail.err()).contains("person=John_Simm").contains("camera=cam-1");

            // the console, as its own principal, sees and changes what the operator does, and reads snapshots
            Pipeline console = stages.get(stages.size() - 1);
            java.net.http.HttpClient web = java.net.http.HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + console.httpPort() + "/api/v1";
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(web.send(
                                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/cameras"))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .contains("\"id\":\"cam-1\"", "\"state\":\"STREAMING\""));
            assertThat(web.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create(api + "/cameras/cam-1/snapshot"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                            .statusCode())
                    .isEqualTo(200);
            java.net.http.HttpResponse<String> added = web.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/cameras"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"id\":\"cam-2\",\"url\":\"rtsp://10.0.0.8/x\"}"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(web.send(
                                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/audit"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("\"target\":\"cam-2\"", "\"via\":\"api\"", "\"target\":\"cam-1\"", "\"via\":\"cli\"");

            // an intruder is refused, and told which ACL it lacks
            VigilCommandTest.Result intruder = VigilCommandTest.run(
                    "camera",
                    "add",
                    "--id",
                    "evil",
                    "--url",
                    "rtsp://10.0.0.9/x",
                    "--config",
                    env.file("intruder").toString());
            assertThat(intruder.exit()).isNotZero();
            assertThat(intruder.err())
                    .contains("User:intruder may not write topic vigil.cameras")
                    .contains("kafka-acls")
                    .contains("--operation Write --topic vigil.cameras");
            System.out.println("intruder: " + intruder.err().strip());

            // a stage missing one ACL (its consumer group) does not start, and says what to grant
            try (Admin a = Admin.create(env.client("admin"))) {
                List<AclBinding> withoutGroup =
                        AccessControl.acls(Role.ALERTS, "User:alerts-without-group", env.settings("admin")).stream()
                                .filter(b -> b.pattern().resourceType()
                                        != org.apache.kafka.common.resource.ResourceType.GROUP)
                                .collect(Collectors.toList());
                a.createAcls(withoutGroup).all().get();
            }
            Map<String, String> other = new HashMap<>(env.map("alerts-without-group"));
            other.put("VIGIL_INSTANCE_ID", "alerts-2");
            assertThatThrownBy(() -> Pipeline.start(Settings.load(new ConfigReader(other)), StageKind.ALERTS, false))
                    .isInstanceOf(UserException.class)
                    .hasMessageContaining("alerts cannot start")
                    .hasMessageContaining("User:alerts-without-group may not use consumer group vigil-alerts")
                    .hasMessageContaining("--operation Read --group vigil-alerts");
        }
    }

    /** Settings files and client settings for each principal. */
    private record Env(Path dir, EmbeddedKafka kafka, EmbeddedKafka.Security security) {
        Map<String, String> map(String user) throws IOException {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            m.put("VIGIL_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
            m.put("VIGIL_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
            // the credentials from a file, as Kubernetes mounts a Secret
            Path jaas = dir.resolve(user + ".jaas");
            Files.writeString(jaas, security.jaas(user));
            m.put("VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString());
            m.put(
                    "VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION",
                    security.certificates().truststore().toString());
            m.put("VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD", security.certificates().password());
            m.put("VIGIL_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
            m.put("VIGIL_TOPICS_SETUP", "none");
            m.put("VIGIL_HOME", dir.resolve("home-" + user).toString());
            m.put("VIGIL_HTTP_PORT", "0");
            m.put("VIGIL_INSTANCE_ID", user);
            m.put("VIGIL_INGEST_ALLOW", "loopback");
            return m;
        }

        Path file(String user) throws IOException {
            Path f = dir.resolve(user + ".properties");
            Files.writeString(
                    f,
                    map(user).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                            .collect(Collectors.joining("\n")));
            return f;
        }

        Settings settings(String user) throws IOException {
            return Settings.load(new ConfigReader(map(user)));
        }

        Map<String, Object> client(String user) throws IOException {
            return new HashMap<>(
                    io.vigil.runtime.kafka.KafkaClients.common(settings(user).common(), "test-admin"));
        }
    }
}
