package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.topic.DeadLetters;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.inference.InferenceStage;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.lifecycle.Stage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The whole pipeline, real parts only: an embedded broker, two GStreamer RTSP cameras streaming clips of enrolled
 * and non-enrolled people, the real models, every stage; then faults: corrupt records on every topic, a camera
 * going away and back, an inference worker stopped while another takes over, the broker stopped and restarted.
 */
class EndToEndIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");
    static final long COOLDOWN_MS = 5_000;

    @Test
    void enrolledPeopleAlertOnTheRightCamerasOncePerCooldownAndThePipelineSurvivesFaults() throws Exception {
        Path home = Files.createDirectories(
                Path.of("target", "e2e-" + UUID.randomUUID()).toAbsolutePath());
        int brokerPort = EmbeddedKafka.freePort();
        int controllerPort = EmbeddedKafka.freePort();
        EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, controllerPort);
        // a real MQTT broker and a non-Java subscriber: every alert of the run must reach it
        int mqttPort = EmbeddedKafka.freePort();
        Files.writeString(
                home.resolve("mosquitto.conf"),
                "listener " + mqttPort + " 127.0.0.1\nallow_anonymous true\npersistence false\nuser "
                        + System.getProperty("user.name") + "\n");
        Process mosquitto = new ProcessBuilder(
                        "/usr/sbin/mosquitto",
                        "-c",
                        home.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("mosquitto.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", mqttPort)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Set<String> mqttIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Process mqttSub = new ProcessBuilder(
                        "mosquitto_sub",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(mqttPort),
                        "-q",
                        "1",
                        "-t",
                        "vigil/alerts/+")
                .redirectErrorStream(true)
                .start();
        Thread mqttReader = new Thread(() -> {
            try (var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(mqttSub.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("{")) { // vigil/alerts/availability says online or offline
                        mqttIds.add(
                                JsonSerde.MAPPER.readTree(line).path("alertId").asText());
                    }
                }
            } catch (java.io.IOException e) {
                // ended
            }
        });
        mqttReader.setDaemon(true);
        mqttReader.start();
        Settings settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_ALERTS_MQTT_URL",
                "tcp://127.0.0.1:" + mqttPort,
                "VIGIL_HOME",
                home.toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_MATCHER_COOLDOWN",
                "5s",
                "VIGIL_INGEST_BACKOFF_MAX",
                "2s",
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers(),
                "VIGIL_INGEST_ALLOW",
                "loopback")));
        Path clip1 = SampleClip.build(
                List.of(
                        seg(JOHNS.resolve("John_Simm/000305_00470162.jpg")),
                        seg(JOHNS.resolve("John_Salley/000186_02159346.jpg"))),
                640,
                480,
                10,
                home.resolve("cam1.h264"));
        Path clip2 = SampleClip.build(
                List.of(
                        new SampleClip.Segment(DemoAssets.read("scene/1-grace_hopper.jpg"), 3),
                        seg(JOHNS.resolve("John_Shimkus/000383_03227939.jpg"))),
                640,
                480,
                10,
                home.resolve("cam2.h264"));
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry extra = new SimpleMeterRegistry();

        try (RtspServer cam1 = RtspServer.start(clip1, "/one", 10);
                RtspServer cam2 = RtspServer.start(clip2, "/two", 10);
                Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            String bootstrap = pipeline.bootstrap();
            Thread reader = reader(bootstrap, pipeline, alerts, dead);
            enrol(
                    bootstrap,
                    "John_Simm",
                    JOHNS.resolve("John_Simm/000288_00470387.jpg"),
                    JOHNS.resolve("John_Simm/000300_00470148.jpg"));
            Path grace = home.resolve("grace.jpg");
            Files.write(grace, DemoAssets.read("watchlist/Grace_Hopper/grace_hopper_crop.jpg"));
            enrol(bootstrap, "Grace_Hopper", grace);
            assertThat(VigilCommandTest.run(
                                    "camera",
                                    "add",
                                    "--id",
                                    "cam-1",
                                    "--url",
                                    cam1.url(),
                                    "--fps",
                                    "4",
                                    "--bootstrap",
                                    bootstrap)
                            .exit())
                    .isZero();
            assertThat(VigilCommandTest.run(
                                    "camera",
                                    "add",
                                    "--id",
                                    "cam-2",
                                    "--url",
                                    cam2.url(),
                                    "--fps",
                                    "4",
                                    "--bootstrap",
                                    bootstrap)
                            .exit())
                    .isZero();

            // 1. exactly the enrolled people, on the right cameras, once per cooldown window
            awaitAlerts(alerts, a -> true, 2, "cam-1=John_Simm", "cam-2=Grace_Hopper");
            assertThat(alerts)
                    .allSatisfy(a -> assertThat(a.cameraId() + "=" + a.personId())
                            .isIn("cam-1=John_Simm", "cam-2=Grace_Hopper"));
            assertCooldownRespected(alerts);
            assertEachAlertLocatesItsFrame(alerts, pipeline.topics(), bootstrap);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String ls = VigilCommandTest.run("camera", "ls", "--bootstrap", bootstrap)
                        .out();
                assertThat(ls)
                        // OUT FPS: at most the 4 sampled; motion gating holds back frames of the still photos
                        .containsPattern("cam-1\\s+rtsp://127.0.0.1:\\d+/one\\s+STREAMING\\s+\\d+\\.\\d\\s+[0-4]\\.\\d")
                        .contains("cam-2")
                        .contains("2 camera(s)");
            });

            // 2. a corrupt record on every topic: dead-lettered or counted, and the pipeline keeps going
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                var t = pipeline.topics();
                for (String topic : List.of(
                        t.frames.name(), t.faces.name(), t.alerts.name(), t.cameras.name(), t.watchlist.name())) {
                    p.send(new ProducerRecord<>(
                                    topic,
                                    "cam-x".getBytes(StandardCharsets.UTF_8),
                                    "{corrupt".getBytes(StandardCharsets.UTF_8)))
                            .get();
                }
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(dead)
                            .extracting(r -> stage(r))
                            .contains("inference", "matcher", "alerts", "ingest"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(pipeline.registry()
                                    .get("vigil.matcher.watchlist.invalid")
                                    .counter()
                                    .count())
                            .isEqualTo(1));
            long afterCorrupt = System.currentTimeMillis();
            awaitAlerts(
                    alerts,
                    a -> a.matchedAt().toEpochMilli() > afterCorrupt,
                    1,
                    "cam-1=John_Simm",
                    "cam-2=Grace_Hopper");

            // 3. a camera goes away and comes back
            cam2.stop();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.registry()
                                    .get("vigil.ingest.reconnects")
                                    .tag("camera", "cam-2")
                                    .counter()
                                    .count()
                            > 0);
            cam2.start();
            long cameraBack = System.currentTimeMillis();
            awaitAlerts(alerts, a -> a.capturedAt().toEpochMilli() > cameraBack, 1, "cam-2=Grace_Hopper");

            // 4. an inference worker stops while another takes over
            try (InferenceStage second = new InferenceStage(
                    pipeline.settings().common(), pipeline.settings().inference(), pipeline.topics(), extra)) {
                second.start();
                Stage first = pipeline.stages().stream()
                        .filter(s -> s.name().equals("inference"))
                        .findFirst()
                        .orElseThrow();
                first.close();
                long takeover = System.currentTimeMillis();
                awaitAlerts(
                        alerts,
                        a -> a.capturedAt().toEpochMilli() > takeover,
                        1,
                        "cam-1=John_Simm",
                        "cam-2=Grace_Hopper");
                assertThat(extra.get("vigil.inference.frames")
                                .tag("outcome", "processed")
                                .counter()
                                .count())
                        .isPositive();

                // 5. the broker stops and comes back with its data: the pipeline resumes
                kafka.close();
                Thread.sleep(3_000);
                kafka = EmbeddedKafka.start(home.resolve("kafka"), brokerPort, controllerPort);
                long restarted = System.currentTimeMillis();
                awaitAlerts(
                        alerts,
                        a -> a.capturedAt().toEpochMilli() > restarted,
                        1,
                        "cam-1=John_Simm",
                        "cam-2=Grace_Hopper");
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(mqttIds)
                            .as("mosquitto_sub received every alert on the topic")
                            .containsAll(alerts.stream().map(Alert::alertId).toList()));
            reader.interrupt();
        } finally {
            kafka.close();
            mqttSub.destroy();
            mosquitto.destroy();
        }
        // duplicates only ever with the same alert id: one id per sighting
        Map<String, Set<String>> idsPerSighting = new HashMap<>();
        alerts.forEach(a -> idsPerSighting
                .computeIfAbsent(
                        a.cameraId() + "/" + a.personId() + "/" + a.frameSequence() + "/" + a.capturedAt(),
                        k -> new HashSet<>())
                .add(a.alertId()));
        assertThat(idsPerSighting.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(alerts)
                .allSatisfy(a ->
                        assertThat(a.cameraId() + "=" + a.personId()).isIn("cam-1=John_Simm", "cam-2=Grace_Hopper"));
        System.out.printf("end to end: %d alerts, %d dead letters%n", alerts.size(), dead.size());
    }

    static SampleClip.Segment seg(Path photo) throws Exception {
        return new SampleClip.Segment(Files.readAllBytes(photo), 3);
    }

    static String stage(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.headers().lastHeader(DeadLetters.STAGE).value(), StandardCharsets.UTF_8);
    }

    /** Enrols a person from photos with the CLI, as an operator would. */
    static void enrol(String bootstrap, String id, Path... photos) {
        List<String> args = new ArrayList<>(List.of("watchlist", "add", "--id", id, "--bootstrap", bootstrap));
        for (Path photo : photos) {
            args.add("--image");
            args.add(photo.toString());
        }
        assertThat(VigilCommandTest.run(args.toArray(String[]::new)).exit()).isZero();
    }

    static void awaitAlerts(List<Alert> alerts, Predicate<Alert> which, int atLeast, String... pairs) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (String pair : pairs) {
                assertThat(alerts.stream()
                                .filter(which)
                                .filter(a -> pair.equals(a.cameraId() + "=" + a.personId()))
                                .count())
                        .as(pair)
                        .isGreaterThanOrEqualTo(atLeast);
            }
        });
    }

    /** Each alert names the place of its frame on the frames topic, and the record there is that frame. */
    static void assertEachAlertLocatesItsFrame(
            List<Alert> alerts, io.vigil.api.topic.VigilTopics topics, String bootstrap) {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            for (Alert a : alerts) {
                assertThat(a.frame())
                        .as("alert %s names its frame", a.alertId())
                        .isNotNull();
                assertThat(a.frame().topic()).isEqualTo(topics.frames.name());
                var tp = new org.apache.kafka.common.TopicPartition(
                        a.frame().topic(), a.frame().partition());
                c.assign(List.of(tp));
                c.seek(tp, a.frame().offset());
                var records = c.poll(Duration.ofSeconds(10)).records(tp);
                assertThat(records).isNotEmpty();
                var frame = topics.frames
                        .valueSerde()
                        .deserializer()
                        .deserialize(tp.topic(), records.get(0).value());
                assertThat(records.get(0).offset()).isEqualTo(a.frame().offset());
                assertThat(frame.cameraId()).isEqualTo(a.cameraId());
                assertThat(frame.sequence()).isEqualTo(a.frameSequence());
            }
        }
    }

    /** Two distinct alerts for one camera and person are at least a cooldown apart in capture time. */
    static void assertCooldownRespected(List<Alert> alerts) {
        Map<String, List<Long>> times = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Alert a : alerts) {
            if (seen.add(a.alertId())) {
                times.computeIfAbsent(a.cameraId() + "=" + a.personId(), k -> new ArrayList<>())
                        .add(a.capturedAt().toEpochMilli());
            }
        }
        times.values().forEach(ts -> {
            List<Long> sorted = ts.stream().sorted().toList();
            for (int i = 1; i < sorted.size(); i++) {
                assertThat(sorted.get(i) - sorted.get(i - 1)).isGreaterThanOrEqualTo(COOLDOWN_MS);
            }
        });
    }

    static Thread reader(
            String bootstrap, Pipeline pipeline, List<Alert> alerts, List<ConsumerRecord<byte[], byte[]>> dead) {
        Thread t = new Thread(
                () -> {
                    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    ConsumerConfig.GROUP_ID_CONFIG,
                                    "e2e-reader",
                                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                    "earliest",
                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                    "read_committed"),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                        c.subscribe(List.of(
                                pipeline.topics().alerts.name(),
                                pipeline.topics().dlq.name()));
                        while (!Thread.currentThread().isInterrupted()) {
                            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                                if (r.topic().equals(pipeline.topics().dlq.name())) {
                                    dead.add(r);
                                } else {
                                    try {
                                        alerts.add(pipeline.topics()
                                                .alerts
                                                .valueSerde()
                                                .deserializer()
                                                .deserialize(r.topic(), r.value()));
                                    } catch (RuntimeException e) {
                                        // the corrupt record injected on purpose
                                    }
                                }
                            }
                        }
                    } catch (InterruptException e) {
                        // done
                    }
                },
                "e2e-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
