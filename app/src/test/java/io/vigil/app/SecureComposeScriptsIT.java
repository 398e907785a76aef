package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.app.cli.VigilCommandTest;
import io.vigil.broker.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The secured compose example's own scripts, run for real: make-secrets.sh makes the CA, the broker's certificate and
 * the SCRAM users; kafka-secure.sh configures, formats and starts the broker; then the CLI grants the roles as the
 * admin, creates the topics as the topics principal, and registers a camera as the operator. Kafka's own server from
 * this build stands in for the apache/kafka image's (the scripts take its bin directory as a setting); no Docker.
 */
class SecureComposeScriptsIT {
    private static final Path COMPOSE =
            Path.of("..", "deploy", "compose").toAbsolutePath().normalize();

    @Test
    void theSecuredBrokerAdmitsEachPrincipalToExactlyItsRole(@TempDir Path dir) throws Exception {
        Path secrets = Files.createDirectory(dir.resolve("secrets"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path data = Files.createDirectory(dir.resolve("data"));
        Path conf = Files.createDirectory(dir.resolve("conf"));
        ProcessBuilder make = new ProcessBuilder(
                        "bash", COMPOSE.resolve("make-secrets.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("secrets.log").toFile());
        make.environment().put("SECRETS_DIR", secrets.toString());
        assertThat(make.start().waitFor())
                .as(Files.readString(dir.resolve("secrets.log")))
                .isZero();
        assertThat(secrets.resolve("ca.p12")).as("the CA's key is not kept").doesNotExist();

        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        shim(bin.resolve("kafka-storage.sh"), java, classpath, "kafka.tools.StorageTool");
        shim(bin.resolve("kafka-server-start.sh"), java, classpath, "kafka.Kafka");
        int port = EmbeddedKafka.freePort();
        ProcessBuilder broker = new ProcessBuilder(
                        "bash", COMPOSE.resolve("kafka-secure.sh").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("kafka.log").toFile());
        broker.environment()
                .putAll(Map.of(
                        "SECRETS_DIR", secrets.toString(),
                        "KAFKA_BIN", bin.toString(),
                        "KAFKA_DATA", data.toString(),
                        "KAFKA_CONF_DIR", conf.toString(),
                        "KAFKA_ADVERTISED_HOST", "localhost",
                        "KAFKA_PORT", Integer.toString(port),
                        "KAFKA_CONTROLLER_PORT", Integer.toString(EmbeddedKafka.freePort())));
        Process kafka = broker.start();
        try {
            Path admin = client(conf, secrets, port, "admin");
            Path topics = client(conf, secrets, port, "topics");
            Path operator = client(conf, secrets, port, "operator");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> {
                        assertThat(kafka.isAlive()).as("the broker runs").isTrue();
                        return ready(secrets, port);
                    });

            VigilCommandTest.Result before = VigilCommandTest.run("camera", "ls", "--config", operator.toString());
            assertThat(before.exit()).isEqualTo(1);
            assertThat(before.err()).contains("User:vigil-operator may not read topic", "kafka-acls");

            VigilCommandTest.Result acls = VigilCommandTest.run(
                    "acls",
                    "--apply",
                    "--config",
                    admin.toString(),
                    "--grant",
                    "topics=User:vigil-topics",
                    "--grant",
                    "operator=User:vigil-operator");
            assertThat(acls.exit()).as(acls.err()).isZero();
            assertThat(VigilCommandTest.run("topics", "--apply", "--config", topics.toString())
                            .exit())
                    .isZero();
            VigilCommandTest.Result add = VigilCommandTest.run(
                    "camera", "add", "--config", operator.toString(), "--id", "lobby", "--url", "rtsp://camera/lobby");
            assertThat(add.exit()).as(add.err()).isZero();
            assertThat(VigilCommandTest.run("camera", "ls", "--config", operator.toString())
                            .out())
                    .contains("lobby");

            VigilCommandTest.Result intruder = VigilCommandTest.run("camera", "ls", "--config", topics.toString());
            assertThat(intruder.exit()).isEqualTo(1);
            assertThat(intruder.err())
                    .contains("User:vigil-topics may not read topic")
                    .doesNotContain(Files.readString(secrets.resolve("store.password")));
        } finally {
            kafka.destroy();
            kafka.waitFor();
        }
    }

    /** Whether the broker answers the admin over TLS and SCRAM (read-only: nothing is created). */
    private static boolean ready(Path secrets, int port) throws Exception {
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                "localhost:" + port,
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                Files.readString(secrets.resolve("admin.jaas")),
                "ssl.truststore.location",
                secrets.resolve("truststore.p12").toString(),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.password",
                Files.readString(secrets.resolve("store.password")),
                "default.api.timeout.ms",
                5000,
                "request.timeout.ms",
                4000);
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static void shim(Path script, String java, String classpath, String main) throws Exception {
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -cp '" + classpath + "' " + main + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A principal's client settings, as the compose file gives them to its service. */
    private static Path client(Path conf, Path secrets, int port, String user) throws Exception {
        Path file = conf.resolve(user + ".env");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "VIGIL_KAFKA_BOOTSTRAP=localhost:" + port,
                        "VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL",
                        "VIGIL_KAFKA_SASL_MECHANISM=SCRAM-SHA-512",
                        "VIGIL_KAFKA_SASL_JAAS_CONFIG_FILE=" + secrets.resolve(user + ".jaas"),
                        "VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION=" + secrets.resolve("truststore.p12"),
                        "VIGIL_KAFKA_SSL_TRUSTSTORE_TYPE=PKCS12",
                        "VIGIL_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE=" + secrets.resolve("store.password"),
                        ""));
        return file;
    }
}
