package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.alerts.webhook.Signature;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.FaceBox;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.topic.DeadLetters;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsIT {
    static final String SECRET = "9f1c2e7a4b6d8035c1e2";
    static final String TOKEN = "4d2b9e7f1a3c6085e2d1";

    /** A real HTTP receiver: records what arrives, and answers with the status its script gives. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final List<String> alertIds = new CopyOnWriteArrayList<>();
        final List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
        final AtomicInteger requests = new AtomicInteger();
        volatile int failFirst;
        volatile long delayMs;

        final String secret;

        Receiver() throws Exception {
            this(SECRET);
        }

        Receiver(String secret) throws Exception {
            this.secret = secret;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/hook", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                int n = requests.incrementAndGet();
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int status = n <= failFirst ? 500 : 200;
                if (status == 200) {
                    signaturesValid.add(Signature.verify(
                            secret,
                            ex.getRequestHeaders().getFirst(Signature.HEADER),
                            body,
                            System.currentTimeMillis() / 1000,
                            300));
                    alertIds.add(ex.getRequestHeaders().getFirst("X-Vigil-Alert-Id"));
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static Alert alert(String camera, String person, long seq) {
        Instant t = Instant.now();
        return new Alert(
                1,
                Alert.idFor(camera, person, seq, t.toEpochMilli()),
                camera,
                person,
                "Person " + person,
                0.7,
                0.4,
                t,
                t.plusMillis(120),
                120,
                seq,
                new FaceBox(1, 2, 30, 40),
                thumbnail());
    }

    static byte[] thumbnail() {
        try (var in = AlertsIT.class.getResourceAsStream("/face-thumb.jpg")) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Env(VigilTopics topics, CommonConfig common, String bootstrap) {
        void publish(Alert... alerts) throws Exception {
            try (KafkaProducer<String, Alert> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    topics.alerts.keySerde().serializer(),
                    topics.alerts.valueSerde().serializer())) {
                for (Alert a : alerts) {
                    p.send(new ProducerRecord<>(topics.alerts.name(), a.cameraId(), a))
                            .get();
                }
            }
        }

        List<ConsumerRecord<byte[], byte[]>> dlq(int expected) {
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "dlq-" + System.nanoTime(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                c.subscribe(List.of(topics.dlq.name()));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    c.poll(Duration.ofMillis(200)).forEach(out::add);
                    assertThat(out).hasSize(expected);
                });
            }
            return out;
        }

        AlertsStage stage(Map<String, String> settings, SimpleMeterRegistry registry, HttpEndpoint http) {
            Map<String, String> s = new HashMap<>(Map.of(
                    "VIGIL_ALERTS_WEBHOOK_SECRET",
                    SECRET,
                    "VIGIL_ALERTS_BACKOFF_MIN",
                    "20ms",
                    "VIGIL_ALERTS_BACKOFF_MAX",
                    "100ms"));
            s.putAll(settings);
            return new AlertsStage(
                    common, AlertsConfig.from(new ConfigReader(s)), topics, registry, http, Clock.systemUTC());
        }
    }

    static Env env(EmbeddedKafka kafka, String prefix) throws Exception {
        VigilTopics topics = new VigilTopics(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicSetup(admin, (short) 1).ensure(topics.specs());
        }
        return new Env(
                topics,
                CommonConfig.from(new ConfigReader(Map.of())).withBootstrap(kafka.bootstrapServers()),
                kafka.bootstrapServers());
    }

    @Test
    void deliversSignedWebhooksRetryingFailuresOnce(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al1.");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Receiver receiver = new Receiver();
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(Map.of("VIGIL_ALERTS_WEBHOOKS", receiver.url()), registry, http)) {
            receiver.failFirst = 3;
            stage.start();
            Alert a = alert("gate", "p1", 1);
            env.publish(a);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.alertIds.size() == 1);
            assertThat(receiver.alertIds).containsExactly(a.alertId());
            assertThat(receiver.signaturesValid).containsExactly(true);
            assertThat(receiver.requests.get()).isEqualTo(4);
            assertThat(registry.get("vigil.alerts.retries").counter().count()).isEqualTo(3);
            await().untilAsserted(() -> assertThat(registry.get("vigil.alerts.deliveries")
                            .tag("channel", "webhook")
                            .tag("outcome", "delivered")
                            .counter()
                            .count())
                    .isEqualTo(1));
        }
    }

    @Test
    void hostileAlertsAreDeadLetteredAndNeverReachAReceiver(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al5.");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Alert good = alert("gate", "p1", 1);
        String json =
                new String(env.topics().alerts.valueSerde().serializer().serialize("", good), StandardCharsets.UTF_8);
        try (Receiver receiver = new Receiver();
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(Map.of("VIGIL_ALERTS_WEBHOOKS", receiver.url()), registry, http);
                KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrap()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            stage.start();
            byte[] gate = "gate".getBytes(StandardCharsets.UTF_8);
            String crlf = json.replace(good.alertId(), good.alertId() + "\\r\\nX-Injected: 1");
            for (String hostile : List.of(
                    "{}",
                    crlf,
                    json.replace("\"schemaVersion\":1", "\"schemaVersion\":7"),
                    json.replace("\"similarity\":0.7", "\"similarity\":9"))) {
                raw.send(new ProducerRecord<>(
                                env.topics().alerts.name(), gate, hostile.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
            raw.send(new ProducerRecord<>(
                            env.topics().alerts.name(),
                            "door".getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8)))
                    .get(); // under another camera's key
            env.publish(good);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.alertIds.size() == 1);
            assertThat(receiver.alertIds).containsExactly(good.alertId());
            List<ConsumerRecord<byte[], byte[]>> dead = env.dlq(5);
            assertThat(dead)
                    .extracting(r -> new String(
                            r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            "invalid-alert", "invalid-alert", "unknown-version", "invalid-alert", "key-mismatch");
            assertThat(stage.hub().recent(10, null, null))
                    .extracting(Alert::alertId)
                    .containsExactly(good.alertId());
            assertThat(stage.live()).isTrue();
        }
    }

    @Test
    void aReceiverDownPastTheRetryBudgetSendsTheAlertToTheDeadLetterTopic(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al2.");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String down = "http://127.0.0.1:" + EmbeddedKafka.freePort() + "/hook";
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(
                        Map.of("VIGIL_ALERTS_WEBHOOKS", down, "VIGIL_ALERTS_ATTEMPTS", "3"), registry, http)) {
            stage.start();
            Alert a = alert("gate", "p1", 1);
            env.publish(a);
            List<ConsumerRecord<byte[], byte[]>> dead = env.dlq(1);
            assertThat(new String(
                            dead.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("webhook-failed");
            assertThat(new String(
                            dead.get(0).headers().lastHeader(DeadLetters.DETAIL).value(), StandardCharsets.UTF_8))
                    .contains("after 3 attempts");
            assertThat(registry.get("vigil.alerts.deliveries")
                            .tag("outcome", "failed")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("vigil.dlq.records")
                            .tag("reason", "webhook-failed")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aRestartMidDeliveryLosesNothing(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al3.");
        try (Receiver receiver = new Receiver()) {
            receiver.delayMs = 150;
            Alert[] alerts = new Alert[20];
            for (int i = 0; i < alerts.length; i++) {
                alerts[i] = alert("cam" + (i % 4), "p" + i, i);
            }
            try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                    AlertsStage first = env.stage(
                            Map.of("VIGIL_ALERTS_WEBHOOKS", receiver.url()), new SimpleMeterRegistry(), http)) {
                first.start();
                env.publish(alerts);
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.alertIds.size() >= 3);
            } // stopped mid-delivery
            int beforeRestart = Set.copyOf(receiver.alertIds).size();
            try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                    AlertsStage second = env.stage(
                            Map.of("VIGIL_ALERTS_WEBHOOKS", receiver.url()), new SimpleMeterRegistry(), http)) {
                second.start();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Set.copyOf(receiver.alertIds).size() == alerts.length);
            }
            System.out.printf(
                    "restart: %d distinct delivered before, %d requests in all for %d alerts%n",
                    beforeRestart, receiver.alertIds.size(), alerts.length);
            assertThat(Set.copyOf(receiver.alertIds))
                    .containsExactlyInAnyOrder(
                            Arrays.stream(alerts).map(Alert::alertId).toArray(String[]::new));
        }
    }

    @Test
    void streamsAlertsInOrderWithFiltersAndRequiresTheToken(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al4.");
        HttpClient client = HttpClient.newHttpClient();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(Map.of("VIGIL_ALERTS_TOKEN", TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            String base = "http://127.0.0.1:" + http.port();
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/alerts/stream"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/alerts/recent"))
                                            .header("Authorization", "Bearer nope")
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("the page sends a browser to the login form")
                    .isEqualTo(303);
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("metrics stay open for Prometheus")
                    .isEqualTo(200);

            List<String> all = new CopyOnWriteArrayList<>();
            List<String> gateOnly = new CopyOnWriteArrayList<>();
            Thread a = sse(client, base + "/alerts/stream", TOKEN, all);
            Thread b = sse(client, base + "/alerts/stream?camera=gate", TOKEN, gateOnly);
            await().atMost(Duration.ofSeconds(10)).until(() -> stage.hub().subscribers() == 2);
            Alert[] sent = {
                alert("gate", "p1", 1), alert("door", "p2", 2), alert("gate", "p3", 3), alert("door", "p4", 4)
            };
            env.publish(sent);
            await().atMost(Duration.ofSeconds(30)).until(() -> all.size() == 4 && gateOnly.size() == 2);
            // the topic is keyed by camera: order holds per camera (one partition each), as for any consumer
            assertThat(all)
                    .containsExactlyInAnyOrder(
                            sent[0].alertId(), sent[1].alertId(), sent[2].alertId(), sent[3].alertId());
            assertThat(all.indexOf(sent[0].alertId())).isLessThan(all.indexOf(sent[2].alertId()));
            assertThat(all.indexOf(sent[1].alertId())).isLessThan(all.indexOf(sent[3].alertId()));
            assertThat(gateOnly).containsExactly(sent[0].alertId(), sent[2].alertId());
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(base + "/alerts/recent?limit=2&token=" + TOKEN))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("a token in the URL is not accepted: it would end up in logs and history")
                    .isEqualTo(401);
            HttpResponse<String> recent = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/alerts/recent?limit=2"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(recent.statusCode()).isEqualTo(200);
            assertThat(recent.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(JsonSerde.MAPPER.readTree(recent.body()).size()).isEqualTo(2);
            HttpResponse<String> door = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/alerts/recent?limit=10&camera=door"))
                            .header("Authorization", "Bearer " + TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var doorAlerts = JsonSerde.MAPPER.readTree(door.body());
            assertThat(doorAlerts.size()).isEqualTo(2);
            assertThat(doorAlerts.get(0).get("alertId").asText())
                    .as("newest first")
                    .isEqualTo(sent[3].alertId());
            assertThat(doorAlerts.get(1).get("alertId").asText()).isEqualTo(sent[1].alertId());
            a.interrupt();
            b.interrupt();
        }
    }

    @Test
    void eachNamedWebhookGetsOnlyTheAlertsItWantsSignedWithItsOwnSecret(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al6.");
        String own = "5e8a2c4f7b1d3960e4a7";
        try (Receiver all = new Receiver();
                Receiver gate = new Receiver(own);
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage = env.stage(
                        Map.of(
                                "VIGIL_ALERTS_WEBHOOKS",
                                all.url(),
                                "VIGIL_ALERTS_WEBHOOK_GATE_URL",
                                gate.url(),
                                "VIGIL_ALERTS_WEBHOOK_GATE_SECRET",
                                own,
                                "VIGIL_ALERTS_WEBHOOK_GATE_CAMERAS",
                                "gate"),
                        new SimpleMeterRegistry(),
                        http)) {
            stage.start();
            Alert atGate = alert("gate", "p1", 1);
            Alert atDoor = alert("door", "p2", 2);
            env.publish(atGate, atDoor);
            await().atMost(Duration.ofSeconds(30)).until(() -> all.alertIds.size() == 2 && gate.alertIds.size() == 1);
            assertThat(all.alertIds).containsExactlyInAnyOrder(atGate.alertId(), atDoor.alertId());
            assertThat(gate.alertIds).containsExactly(atGate.alertId());
            assertThat(all.signaturesValid).containsOnly(true);
            assertThat(gate.signaturesValid)
                    .as("signed with the gate webhook's own secret")
                    .containsExactly(true);
        }
    }

    @Test
    void retriesThatCannotFinishWithinARebalanceAreRefusedAtStart(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "al7.");
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.stage(
                            Map.of(
                                    "VIGIL_ALERTS_WEBHOOKS", "http://127.0.0.1:9/hook",
                                    "VIGIL_ALERTS_ATTEMPTS", "40",
                                    "VIGIL_ALERTS_BACKOFF_MAX", "5m"),
                            new SimpleMeterRegistry(),
                            http))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("VIGIL_ALERTS_ATTEMPTS=40")
                    .hasMessageContaining("max.poll.interval.ms (300000 ms)");
        }
    }

    static Thread sse(HttpClient client, String url, String token, List<String> ids) {
        Thread t = new Thread(() -> {
            try {
                HttpResponse<InputStream> r = client.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                collectIds(r.body(), ids);
            } catch (Exception e) {
                // test over
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Adds the id of every event of an event stream to {@code ids} until the stream ends. */
    static void collectIds(InputStream body, List<String> ids) throws java.io.IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    ids.add(line.substring(4));
                }
            }
        }
    }
}
