package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.sun.net.httpserver.HttpServer;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraState;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;
import io.vigil.api.serde.FrameFacesSerde;
import io.vigil.api.serde.FrameSerde;
import io.vigil.api.topic.DeadLetters;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The whole pipeline (real broker, a real RTSP camera, the real models, a real webhook receiver, an enrolled
 * person) under attack by nothing but a Kafka producer: every kind of hostile record is written straight onto the
 * topics. The pipeline keeps alerting, every hostile record is in the dead-letter topic with its reason, the hostile
 * watchlist entries never alert, the hostile cameras are never opened, and no password shows in a log or on a topic.
 */
class HostileInputIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");
    static final String CAMERA_PASSWORD = "CamPassw0rd";
    static final String HOSTILE_PASSWORD = "Sup3rSecret";

    /** Every log line of the process, formatted, with stack traces. */
    static final class CapturedLogs extends AppenderBase<ILoggingEvent> {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            lines.add(e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(e.getThrowableProxy())));
        }
    }

    @Test
    void hostileRecordsOnEveryTopicAreDeadLetteredAndThePipelineKeepsAlerting() throws Exception {
        CapturedLogs logs = new CapturedLogs();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.setContext(root.getLoggerContext());
        logs.start();
        root.addAppender(logs);

        Path home = Files.createDirectories(
                Path.of("target", "hostile-" + UUID.randomUUID()).toAbsolutePath());
        List<String> delivered = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/hook", ex -> {
            delivered.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"));
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
                "VIGIL_ALERTS_WEBHOOKS",
                "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")));
        Path clip = SampleClip.build(
                List.of(EndToEndIT.seg(JOHNS.resolve("John_Simm/000305_00470162.jpg"))),
                640,
                480,
                10,
                home.resolve("cam.h264"));
        int deadPort = EmbeddedKafka.freePort();
        try (RtspServer camera = RtspServer.start(clip, "/one", 10);
                Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            String bootstrap = pipeline.bootstrap();
            VigilTopics topics = pipeline.topics();
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
            // a camera whose URL carries a password (the test server does not ask for it; FFmpeg still holds it)
            String url = camera.url().replace("rtsp://", "rtsp://viewer:" + CAMERA_PASSWORD + "@");
            assertThat(VigilCommandTest.run(
                                    "camera",
                                    "add",
                                    "--id",
                                    "cam-1",
                                    "--url",
                                    url,
                                    "--fps",
                                    "4",
                                    "--bootstrap",
                                    bootstrap)
                            .out())
                    .doesNotContain(CAMERA_PASSWORD);
            // and one that fails, with the password in its URL: FFmpeg's error text names the URL
            assertThat(VigilCommandTest.run(
                                    "camera",
                                    "add",
                                    "--id",
                                    "cam-dead",
                                    "--url",
                                    "rtsp://admin:" + HOSTILE_PASSWORD + "@127.0.0.1:" + deadPort + "/x?token="
                                            + HOSTILE_PASSWORD,
                                    "--bootstrap",
                                    bootstrap)
                            .exit())
                    .isZero();
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> delivered.stream().anyMatch(d -> d.contains("John_Simm")));

            // every kind of hostile record, straight onto the topics
            Map<String, String> expected = new HashMap<>(); // dead-letter key -> reason
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                byte[] photo = Files.readAllBytes(JOHNS.resolve("John_Simm/000305_00470162.jpg"));
                long now = System.currentTimeMillis();
                FrameSerde frames = new FrameSerde();
                send(p, topics.frames.name(), "cam-neg", frames.encode(new Frame("cam-neg", 1, -5, 150, 150, photo)));
                expected.put("cam-neg", "invalid-capture-time");
                send(
                        p,
                        topics.frames.name(),
                        "cam-bomb",
                        frames.encode(new Frame("cam-bomb", 1, now, 8, 8, bomb(photo))));
                expected.put("cam-bomb", "size-mismatch");

                float[] loud = new float[512];
                Arrays.fill(loud, 10f); // norm 226
                send(
                        p,
                        topics.faces.name(),
                        "cam-loud",
                        new FrameFacesSerde()
                                .encode(new FrameFaces(
                                        "cam-loud",
                                        1,
                                        now,
                                        now,
                                        640,
                                        480,
                                        List.of(new Face(
                                                new FaceBox(1, 1, 50, 50), new float[10], 0.99f, loud, new byte[] {1
                                                })))));
                expected.put("cam-loud", "invalid-face");
                send(
                        p,
                        topics.faces.name(),
                        "cam-other-model",
                        new FrameFacesSerde()
                                .encode(new FrameFaces(
                                        "cam-other-model",
                                        1,
                                        now,
                                        now,
                                        640,
                                        480,
                                        List.of(new Face(
                                                new FaceBox(1, 1, 50, 50),
                                                new float[10],
                                                0.99f,
                                                unit(512, 3),
                                                new byte[] {1})),
                                        0,
                                        0,
                                        "sha256:" + "cd".repeat(32))));
                expected.put("cam-other-model", "model-mismatch");

                send(p, topics.alerts.name(), "cam-a1", "{}".getBytes(StandardCharsets.UTF_8));
                expected.put("cam-a1", "invalid-alert");
                Alert real = new Alert(
                        1,
                        Alert.idFor("cam-a2", "John_Simm", 1, now),
                        "cam-a2",
                        "John_Simm",
                        "John",
                        0.9,
                        0.4,
                        Instant.ofEpochMilli(now),
                        Instant.ofEpochMilli(now),
                        0,
                        1,
                        new FaceBox(1, 1, 2, 2),
                        null);
                String crlf = new String(
                                topics.alerts.valueSerde().serializer().serialize("", real), StandardCharsets.UTF_8)
                        .replace(real.alertId(), real.alertId() + "\\r\\nX-Injected: yes");
                send(p, topics.alerts.name(), "cam-a2", crlf.getBytes(StandardCharsets.UTF_8));
                expected.put("cam-a2", "invalid-alert");

                StringBuilder huge = new StringBuilder();
                for (int i = 0; i < 512; i++) {
                    huge.append(i == 0 ? "" : ",").append("10.0");
                }
                send(
                        p,
                        topics.watchlist.name(),
                        "hostile-loud",
                        ("{\"personId\":\"hostile-loud\",\"embeddings\":[[" + huge + "]]}")
                                .getBytes(StandardCharsets.UTF_8));
                expected.put("hostile-loud", "invalid-watchlist");
                float[] anyone = unit(512, 7);
                StringBuilder e = new StringBuilder();
                for (int i = 0; i < anyone.length; i++) {
                    e.append(i == 0 ? "" : ",").append(anyone[i]);
                }
                send(
                        p,
                        topics.watchlist.name(),
                        "hostile-everyone",
                        ("{\"personId\":\"hostile-everyone\",\"embeddings\":[[" + e + "]],\"threshold\":0.0001}")
                                .getBytes(StandardCharsets.UTF_8));
                expected.put("hostile-everyone", "threshold-below-floor");
                send(
                        p,
                        topics.watchlist.name(),
                        "hostile-model",
                        ("{\"personId\":\"hostile-model\",\"embeddings\":[[" + e + "]],\"model\":\"sha256:"
                                        + "ab".repeat(32) + "\"}")
                                .getBytes(StandardCharsets.UTF_8));
                expected.put("hostile-model", "model-mismatch");

                Map<String, String> cams = Map.of(
                        "h-redis", "file:tcp://10.0.0.5:6379",
                        "h-docker", "file:unix:/var/run/docker.sock",
                        "h-pipe", "file:pipe:0",
                        "h-video", "file:///dev/video0",
                        "h-metadata", "http://admin:" + HOSTILE_PASSWORD + "@169.254.169.254/latest/meta-data/",
                        "h-file", "file:///etc/passwd");
                cams.forEach((id, u) -> send(
                        p,
                        topics.cameras.name(),
                        id,
                        ("{\"id\":\"" + id + "\",\"url\":\"" + u + "\",\"fps\":2}").getBytes(StandardCharsets.UTF_8)));
                cams.keySet().forEach(id -> expected.put(id, "invalid-camera"));
                for (String option : List.of("timeout=-1", "listen=1", "method=POST", "tls_verify=0")) {
                    String id =
                            "h-opt-" + option.substring(0, option.indexOf('=')).replace('_', '-');
                    String[] kv = option.split("=");
                    send(
                            p,
                            topics.cameras.name(),
                            id,
                            ("{\"id\":\"" + id + "\",\"url\":\"rtsp://u:" + HOSTILE_PASSWORD
                                            + "@10.1.2.3/s\",\"fps\":2,\"options\":{\"" + kv[0] + "\":\"" + kv[1]
                                            + "\"}}")
                                    .getBytes(StandardCharsets.UTF_8));
                    expected.put(id, "invalid-camera");
                }
            }

            // each hostile record in the dead-letter topic, with its reason
            Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> c = reader(bootstrap)) {
                c.subscribe(List.of(topics.dlq.name()));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    c.poll(Duration.ofMillis(200))
                            .forEach(r ->
                                    dead.put(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8), r));
                    assertThat(dead.keySet()).containsAll(expected.keySet());
                });
            }
            expected.forEach((key, reason) -> assertThat(header(dead.get(key), DeadLetters.REASON))
                    .as(key)
                    .isEqualTo(reason));
            dead.values()
                    .forEach(r -> System.out.printf(
                            "dlq %-18s %-10s %-22s %s%n",
                            new String(r.key(), StandardCharsets.UTF_8),
                            header(r, DeadLetters.STAGE),
                            header(r, DeadLetters.REASON),
                            header(r, DeadLetters.DETAIL)));

            // the pipeline keeps alerting, to the webhook too; the hostile people never alert
            int before = delivered.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() > before + 1);
            assertThat(delivered)
                    .allSatisfy(d ->
                            assertThat(d).contains("\"personId\":\"John_Simm\"").contains("\"cameraId\":\"cam-1\""));

            // the hostile cameras were refused, never opened
            Map<String, CameraStatus> status = new HashMap<>();
            List<CameraStatus> history = new ArrayList<>();
            readAll(bootstrap, topics.cameraStatus.name()).forEach(r -> {
                CameraStatus s = topics.cameraStatus.valueSerde().deserializer().deserialize("", r.value());
                history.add(s);
                status.put(s.cameraId(), s);
            });
            expected.keySet().stream().filter(k -> k.startsWith("h-")).forEach(id -> {
                assertThat(status.get(id)).as(id).isNotNull();
                assertThat(status.get(id).state()).as(id).isEqualTo(CameraState.FAILED);
            });
            assertThat(history)
                    .filteredOn(s -> s.cameraId().startsWith("h-"))
                    .noneMatch(s -> s.state() == CameraState.CONNECTING);
            assertThat(status.get("cam-dead").state()).isEqualTo(CameraState.FAILED);
            System.out.println("cam-dead: " + status.get("cam-dead").reason());

            // no password in any log line, nor on any topic but the cameras topic that holds it by design
            for (String topic : List.of(
                    topics.cameraStatus.name(),
                    topics.frames.name(),
                    topics.faces.name(),
                    topics.alerts.name(),
                    topics.dlq.name(),
                    topics.watchlist.name())) {
                for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, topic)) {
                    String text = (r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1))
                            + StreamSupport.stream(r.headers().spliterator(), false)
                                    .map(h -> new String(h.value(), StandardCharsets.ISO_8859_1))
                                    .collect(Collectors.joining());
                    assertThat(text).as(topic).doesNotContain(CAMERA_PASSWORD).doesNotContain(HOSTILE_PASSWORD);
                }
            }
            assertThat(logs.lines)
                    .isNotEmpty()
                    .allSatisfy(
                            l -> assertThat(l).doesNotContain(CAMERA_PASSWORD).doesNotContain(HOSTILE_PASSWORD));
            assertThat(VigilCommandTest.run("camera", "ls", "--bootstrap", bootstrap)
                            .out())
                    .doesNotContain(CAMERA_PASSWORD)
                    .doesNotContain(HOSTILE_PASSWORD)
                    .contains("cam-dead");

            // nothing died
            assertThat(pipeline.stages()).allMatch(Stage::live);
            HttpResponse<String> live = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/health/live"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            System.out.printf(
                    "hostile input: %d dead letters, %d webhook deliveries, %d log lines scanned%n",
                    dead.size(), delivered.size(), logs.lines.size());
        } finally {
            root.detachAppender(logs);
            receiver.stop(0);
            kafka.close();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) {
        try {
            p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    static KafkaConsumer<byte[], byte[]> reader(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "hostile-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Every record of a topic, from the beginning to its current end. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = reader(bootstrap)) {
            return readAll(c, topic);
        }
    }

    /** Every record of a topic the consumer may see (by its isolation level), from the beginning to its end now. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        return out;
    }

    static float[] unit(int dim, long seed) {
        Random r = new Random(seed);
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    /** The JPEG with its frame header claiming 16000x16000 pixels. */
    static byte[] bomb(byte[] jpeg) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; ) {
            int marker = b[i + 1] & 0xff;
            int length = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            if (marker >= 0xC0 && marker <= 0xC3) {
                b[i + 5] = (byte) (16000 >> 8);
                b[i + 6] = (byte) 16000;
                b[i + 7] = (byte) (16000 >> 8);
                b[i + 8] = (byte) 16000;
                return b;
            }
            i += 2 + length;
        }
        throw new IllegalStateException("no frame header");
    }
}
