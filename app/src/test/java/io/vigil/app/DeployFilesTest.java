package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.api.topic.TopicSpec;
import io.vigil.api.topic.VigilTopics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The deployment files, checked offline: dashboards' structure, Kubernetes manifests and their scaling limits. */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("..", "deploy");
    static final ObjectMapper JSON = JsonMapper.builder().build();

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Every PromQL expression of every panel, as "dashboard / panel -> expr". */
    static Map<String, String> panelQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path d : dashboards()) {
            JsonNode dash = JSON.readTree(d.toFile());
            for (JsonNode p : dash.get("panels")) {
                for (JsonNode t : p.get("targets")) {
                    out.put(
                            dash.get("title").asText() + " / " + p.get("title").asText() + " ["
                                    + t.get("refId").asText() + "]",
                            t.get("expr").asText());
                }
            }
        }
        return out;
    }

    @Test
    void theFourDashboardsAreWellFormed() throws IOException {
        assertThat(dashboards())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "vigil-cameras.json",
                        "vigil-inference.json",
                        "vigil-matcher-alerts.json",
                        "vigil-pipeline.json");
        String datasourceUid = new YAMLMapper()
                .readTree(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")
                        .toFile())
                .get("datasources")
                .get(0)
                .get("uid")
                .asText();
        Set<String> uids = new HashSet<>();
        for (Path d : dashboards()) {
            JsonNode dash = JSON.readTree(d.toFile());
            assertThat(uids.add(dash.get("uid").asText()))
                    .as("unique dashboard uid in %s", d)
                    .isTrue();
            assertThat(dash.get("schemaVersion").asInt())
                    .as("schemaVersion of %s", d)
                    .isGreaterThanOrEqualTo(36);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : dash.get("panels")) {
                assertThat(ids.add(p.get("id").asInt()))
                        .as("unique panel id %s in %s", p.get("id"), d)
                        .isTrue();
                assertThat(p.get("datasource").get("uid").asText())
                        .as("panel %s datasource", p.get("title"))
                        .isEqualTo(datasourceUid);
                assertThat(p.get("targets"))
                        .as("panel %s has queries", p.get("title"))
                        .isNotEmpty();
                for (JsonNode t : p.get("targets")) {
                    assertThat(t.get("datasource").get("uid").asText()).isEqualTo(datasourceUid);
                    assertThat(t.get("expr").asText()).isNotBlank();
                }
                JsonNode pos = p.get("gridPos");
                assertThat(pos.get("x").asInt() + pos.get("w").asInt())
                        .as("panel %s fits 24 columns", p.get("title"))
                        .isLessThanOrEqualTo(24);
            }
        }
    }

    @Test
    void theKubernetesManifestsAreCompleteAndConsistent() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    new YAMLMapper()
                            .readValues(parser, JsonNode.class)
                            .readAll()
                            .forEach(docs::add);
                }
            }
        }
        Map<String, JsonNode> deployments = new HashMap<>();
        Set<String> services = new HashSet<>();
        Set<String> configMaps = new HashSet<>();
        for (JsonNode d : docs) {
            assertThat(d.hasNonNull("apiVersion")
                            && d.hasNonNull("kind")
                            && d.path("metadata").hasNonNull("name"))
                    .as("apiVersion, kind, metadata.name in %s", d)
                    .isTrue();
            String name = d.get("metadata").get("name").asText();
            switch (d.get("kind").asText()) {
                case "Deployment" -> deployments.put(name, d);
                case "Service" -> services.add(name);
                case "ConfigMap" -> configMaps.add(name);
                default -> {}
            }
        }
        assertThat(deployments.keySet())
                .containsExactlyInAnyOrder(
                        "vigil-ingest", "vigil-inference", "vigil-matcher", "vigil-alerts", "vigil-console");
        for (JsonNode d : deployments.values()) {
            String name = d.get("metadata").get("name").asText();
            assertThat(services).as("a Service for %s", name).contains(name);
            JsonNode spec = d.get("spec");
            assertThat(spec.get("selector").get("matchLabels"))
                    .isEqualTo(spec.get("template").get("metadata").get("labels"));
            JsonNode c = spec.get("template").get("spec").get("containers").get(0);
            assertThat(c.get("args").get(0).asText()).isEqualTo("run");
            assertThat("vigil-" + c.get("args").get(1).asText()).isEqualTo(name);
            assertThat(c.get("readinessProbe").get("httpGet").get("path").asText())
                    .isEqualTo("/health/ready");
            assertThat(configMaps)
                    .contains(c.get("envFrom")
                            .get(0)
                            .get("configMapRef")
                            .get("name")
                            .asText());
        }
        VigilTopics topics = new VigilTopics();
        Map<String, Integer> partitions = new HashMap<>();
        for (TopicSpec t : topics.specs()) {
            partitions.put(t.name(), t.partitions());
        }
        int scaled = 0;
        for (JsonNode d : docs) {
            if (!d.get("kind").asText().equals("ScaledObject")) {
                continue;
            }
            scaled++;
            String target = d.get("spec").get("scaleTargetRef").get("name").asText();
            assertThat(deployments).as("ScaledObject target %s", target).containsKey(target);
            JsonNode trigger = d.get("spec").get("triggers").get(0);
            String topic = trigger.get("metadata").get("topic").asText();
            assertThat(partitions).as("KEDA topic %s is a Vigil topic", topic).containsKey(topic);
            assertThat(d.get("spec").get("maxReplicaCount").asInt())
                    .as("%s: no more replicas than %s has partitions", target, topic)
                    .isLessThanOrEqualTo(partitions.get(topic));
        }
        assertThat(scaled).isEqualTo(3);
    }

    @Test
    void everyStageTalksToKafkaOverSaslSslAsItsOwnUserWithTheDocumentedAcls() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    new YAMLMapper()
                            .readValues(parser, JsonNode.class)
                            .readAll()
                            .forEach(docs::add);
                }
            }
        }
        Map<String, JsonNode> byKindAndName = new HashMap<>();
        docs.forEach(d -> byKindAndName.put(
                d.get("kind").asText() + "/" + d.get("metadata").get("name").asText(), d));
        JsonNode config = byKindAndName.get("ConfigMap/vigil-config").get("data");
        assertThat(config.get("VIGIL_KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(config.get("VIGIL_KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(config.get("VIGIL_TOPICS_SETUP").asText()).isEqualTo("none");
        for (String stage : List.of("ingest", "inference", "matcher", "alerts", "console")) {
            JsonNode pod = byKindAndName
                    .get("Deployment/vigil-" + stage)
                    .get("spec")
                    .get("template")
                    .get("spec");
            List<String> secrets = new ArrayList<>();
            pod.get("volumes").forEach(v -> {
                if (v.has("secret")) {
                    secrets.add(v.get("secret").get("secretName").asText());
                }
            });
            List<String> expected = new ArrayList<>(List.of("vigil-" + stage, "vigil-kafka-cluster-ca-cert"));
            if (stage.equals("console")) {
                expected.add("vigil-console-tokens"); // the API tokens' digests
            }
            assertThat(secrets).as(stage).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(byKindAndName).as("a KafkaUser for " + stage).containsKey("KafkaUser/vigil-" + stage);
        }
        docs.stream().filter(d -> d.get("kind").asText().equals("ScaledObject")).forEach(so -> {
            String auth = so.get("spec")
                    .get("triggers")
                    .get(0)
                    .get("authenticationRef")
                    .get("name")
                    .asText();
            JsonNode ta = byKindAndName.get("TriggerAuthentication/" + auth);
            assertThat(ta).as(auth).isNotNull();
            assertThat(so.get("spec")
                            .get("triggers")
                            .get(0)
                            .get("metadata")
                            .get("sasl")
                            .asText())
                    .isEqualTo("scram_sha512");
        });
        assertThat(Files.readString(DEPLOY.resolve("k8s/01-config.yaml"))).doesNotContain("change-me");
        // the KafkaUsers are exactly what `vigil acls --strimzi` prints from the one definition of each role's ACLs
        String committed = Files.readAllLines(DEPLOY.resolve("k8s/02-kafka-users.yaml")).stream()
                .filter(l -> !l.startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        var generated = io.vigil.app.cli.VigilCommandTest.run(
                "acls",
                "--strimzi",
                "vigil/vigil-kafka",
                "--grant",
                "topics=User:vigil-topics",
                "--grant",
                "ingest=User:vigil-ingest",
                "--grant",
                "inference=User:vigil-inference",
                "--grant",
                "matcher=User:vigil-matcher",
                "--grant",
                "alerts=User:vigil-alerts",
                "--grant",
                "console=User:vigil-console",
                "--grant",
                "operator=User:vigil-operator");
        assertThat(generated.exit()).isZero();
        assertThat(committed).isEqualTo(generated.out());
    }

    @Test
    void composeAndPrometheusFilesValidateWithTheRealTools() throws Exception {
        Map<String, String> token = Map.of(
                "VIGIL_ALERTS_TOKEN", "4d2b9e7f1a3c6085e2d1", "VIGIL_CONSOLE_TOKENS", "/etc/vigil/console-tokens");
        assertThat(run(Path.of(".."), token, "docker-compose", "config", "-q")).isEqualTo(0);
        assertThat(run(
                        Path.of(".."),
                        token,
                        "docker-compose",
                        "-f",
                        "docker-compose.yml",
                        "-f",
                        "deploy/compose/secure.yml",
                        "config",
                        "-q"))
                .isEqualTo(0);
        assertThat(run(Path.of(".."), Map.of(), "docker-compose", "config", "-q"))
                .as("compose refuses to start the alerts page without a token")
                .isNotZero();
        assertThat(run(
                        Path.of(".."),
                        Map.of("VIGIL_ALERTS_TOKEN", "4d2b9e7f1a3c6085e2d1"),
                        "docker-compose",
                        "config",
                        "-q"))
                .as("compose refuses to start the console without a tokens file")
                .isNotZero();
        Path prom = DEPLOY.resolve("prometheus");
        assertThat(run(prom, "promtool", "check", "rules", "vigil-rules.yml")).isEqualTo(0);
        assertThat(run(prom, "promtool", "test", "rules", "vigil-rules.test.yml"))
                .isEqualTo(0);
        assertThat(run(prom, "promtool", "check", "config", "--syntax-only", "prometheus.yml"))
                .isEqualTo(0);
    }

    static int run(Path dir, String... cmd) throws Exception {
        return run(dir, Map.of(), cmd);
    }

    static int run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        b.environment().remove("VIGIL_ALERTS_TOKEN");
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            System.out.println(String.join(" ", cmd) + ":\n" + out);
        }
        return rc;
    }
}
