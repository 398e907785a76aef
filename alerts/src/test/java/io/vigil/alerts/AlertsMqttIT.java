package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The MQTT sink against Debian's mosquitto, read back with mosquitto_sub; and the sinks' independence: a webhook
 * receiver that accepts connections and never answers holds back neither MQTT nor the live stream.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsMqttIT {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final String USER = "vigil";
    static final String PASSWORD = "7c1e9a3f5b2d4e60a8c1";

    /** A real MQTT broker on a free loopback port, with one password user. */
    static final class Mosquitto implements AutoCloseable {
        final Process process;
        final int port;

        Mosquitto(Path dir) throws Exception {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path passwords = dir.resolve("passwords");
            Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), USER, PASSWORD)
                    .redirectErrorStream(true)
                    .start();
            assertThat(p.waitFor()).isZero();
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(
                    conf,
                    "listener " + port + " 127.0.0.1\nallow_anonymous false\npassword_file " + passwords + "\n"
                            + "persistence false\n"
                            // run as root, mosquitto would switch to its own user, which cannot read this directory
                            + "user " + System.getProperty("user.name") + "\n");
            process = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile())
                    .start();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
        }

        /** mosquitto_sub printing "topic payload" lines for the filter, until closed. */
        Process subscribe(String filter, List<String> lines) throws Exception {
            Process sub = new ProcessBuilder(
                            "mosquitto_sub",
                            "-h",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(port),
                            "-u",
                            USER,
                            "-P",
                            PASSWORD,
                            "-q",
                            "1",
                            "-v",
                            "-t",
                            filter)
                    .redirectErrorStream(true)
                    .start();
            Thread t = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    // ended
                }
            });
            t.setDaemon(true);
            t.start();
            return sub;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }

    /** Accepts connections and reads requests, and never answers. */
    static final class SilentReceiver implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        final List<Socket> held = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        SilentReceiver() throws Exception {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    static Map<String, String> mqttSettings(Mosquitto broker) {
        Map<String, String> s = new HashMap<>();
        s.put("VIGIL_ALERTS_MQTT_URL", "tcp://127.0.0.1:" + broker.port);
        s.put("VIGIL_ALERTS_MQTT_USER", USER);
        s.put("VIGIL_ALERTS_MQTT_PASSWORD", PASSWORD);
        s.put("VIGIL_ALERTS_MQTT_TOPIC", "home/vigil");
        return s;
    }

    @Test
    void mosquittoSubReceivesEveryAlertOnItsCamerasTopicWithTheTopicsJson(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        assertThat(MOSQUITTO)
                .as("Debian mosquitto (scripts/setup-debian.sh installs it)")
                .isExecutable();
        AlertsIT.Env env = AlertsIT.env(kafka, "mq1.");
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = new Mosquitto(dir);
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(mqttSettings(broker), new SimpleMeterRegistry(), http)) {
            Process sub = broker.subscribe("home/vigil/#", lines);
            stage.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("home/vigil/availability online"));
            List<Alert> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(AlertsIT.alert(i % 2 == 0 ? "gate" : "lobby", "p-" + i, i));
            }
            env.publish(sent.toArray(Alert[]::new));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> lines.stream()
                                    .filter(l -> !l.contains("/availability"))
                                    .count()
                            >= 20);
            List<String> expected = new ArrayList<>();
            for (Alert a : sent) {
                String json = new String(
                        env.topics().alerts.valueSerde().serializer().serialize("", a), StandardCharsets.UTF_8);
                expected.add("home/vigil/" + a.cameraId() + " " + json);
            }
            assertThat(lines.stream().filter(l -> !l.contains("/availability")))
                    .containsExactlyInAnyOrderElementsOf(expected);
            sub.destroy();

            List<String> late = new CopyOnWriteArrayList<>();
            Process second = broker.subscribe("home/vigil/availability", late);
            await().atMost(Duration.ofSeconds(10)).until(() -> late.contains("home/vigil/availability online"));
            second.destroy();
            stage.close();
            List<String> after = new CopyOnWriteArrayList<>();
            Process third = broker.subscribe("home/vigil/availability", after);
            await().atMost(Duration.ofSeconds(10))
                    .alias("retained offline after the service stops")
                    .until(() -> after.contains("home/vigil/availability offline"));
            third.destroy();
        }
    }

    @Test
    void aWebhookThatNeverAnswersHoldsBackNeitherMqttNorTheStream(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "mq2.");
        List<String> mqttLines = new CopyOnWriteArrayList<>();
        List<String> streamed = new CopyOnWriteArrayList<>();
        try (Mosquitto broker = new Mosquitto(dir);
                SilentReceiver stuck = new SilentReceiver();
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"))) {
            Map<String, String> settings = mqttSettings(broker);
            settings.put("VIGIL_ALERTS_WEBHOOKS", stuck.url());
            settings.put("VIGIL_ALERTS_WEBHOOK_TIMEOUT", "30s");
            settings.put("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN);
            try (AlertsStage stage = env.stage(settings, new SimpleMeterRegistry(), http)) {
                Process sub = broker.subscribe("home/vigil/+", mqttLines);
                stage.start();
                await().atMost(Duration.ofSeconds(60)).until(stage::ready);
                Thread sse = AlertsIT.sse(
                        HttpClient.newHttpClient(),
                        "http://127.0.0.1:" + http.port() + "/alerts/stream",
                        AlertsIT.TOKEN,
                        streamed);
                await().atMost(Duration.ofSeconds(10)).until(() -> stage.hub().subscribers() == 1);
                List<Alert> sent = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    sent.add(AlertsIT.alert("gate", "p-" + i, i));
                }
                env.publish(sent.toArray(Alert[]::new));
                await().atMost(Duration.ofSeconds(20)).until(() -> streamed.size() >= 30 && mqttLines.size() >= 30);
                assertThat(stuck.held)
                        .as("the receiver holds the webhook's requests: at most its concurrency")
                        .hasSizeLessThanOrEqualTo(4)
                        .isNotEmpty();
                sse.interrupt();
                sub.destroy();
            }
        }
    }
}
