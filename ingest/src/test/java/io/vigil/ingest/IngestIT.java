package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ingest against real GStreamer RTSP cameras and the real broker. */
@ExtendWith(EmbeddedKafkaExtension.class)
class IngestIT {
    private static Path clip;
    private static RtspServer camA;
    private static RtspServer camB;

    @BeforeAll
    static void cameras() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "clips"));
        clip = SampleClip.build(
                List.of(
                        new SampleClip.Segment(photo("grace_hopper_512x512.jpg"), 2),
                        new SampleClip.Segment(photo("john_simm.jpg"), 2)),
                640,
                480,
                10,
                dir.resolve("faces-" + UUID.randomUUID() + ".h264"));
        camA = RtspServer.start(clip, "/a", 10);
        camB = RtspServer.start(clip, "/b", 10);
    }

    @AfterAll
    static void stop() {
        camA.close();
        camB.close();
    }

    static byte[] photo(String name) throws Exception {
        try (InputStream in = IngestIT.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }

    record Env(VigilTopics topics, String bootstrap) {
        CommonConfig common(String instance) {
            return CommonConfig.from(new ConfigReader(Map.of("VIGIL_INSTANCE_ID", instance)))
                    .withBootstrap(bootstrap);
        }

        void register(CameraSpec spec) throws Exception {
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(
                                topics.cameras.name(),
                                spec.id(),
                                topics.cameras.valueSerde().serializer().serialize("", spec)))
                        .get();
            }
        }

        void raw(String key, byte[] value) throws Exception {
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                p.send(new ProducerRecord<>(topics.cameras.name(), key, value)).get();
            }
        }

        <V> KafkaConsumer<String, V> reader(String topic, Deserializer<V> d) {
            KafkaConsumer<String, V> c = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "reader-" + UUID.randomUUID(),
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest"),
                    new StringDeserializer(),
                    d);
            c.subscribe(List.of(topic));
            return c;
        }
    }

    static Env env(EmbeddedKafka kafka, String prefix) throws Exception {
        VigilTopics topics = new VigilTopics(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicSetup(admin, (short) 1).ensure(topics.specs());
        }
        return new Env(topics, kafka.bootstrapServers());
    }

    /** The test cameras stream on this machine: loopback allowed. */
    static IngestConfig config() {
        return config("loopback");
    }

    /** Every sampled frame published: these tests are about sampling and faults; TrackingIT proves the gate. */
    static IngestConfig config(String allow) {
        return IngestConfig.from(new ConfigReader(Map.of(
                "VIGIL_INGEST_MOTION",
                "false",
                "VIGIL_INGEST_TIMEOUT",
                "2s",
                "VIGIL_INGEST_BACKOFF_MIN",
                "200ms",
                "VIGIL_INGEST_BACKOFF_MAX",
                "1s",
                "VIGIL_INGEST_ALLOW",
                allow)));
    }

    @Test
    void publishesSampledFramesAndSurvivesKillsStallsAndBadUrls(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "ing1.");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int deadPort = RtspServer.freePort();
        env.register(new CameraSpec("cam-a", camA.url(), 2, 320, false, Map.of()));
        env.register(new CameraSpec("cam-bad", "rtsp://127.0.0.1:" + deadPort + "/nothing", 2, 0, false, Map.of()));
        env.raw("cam-broken", "{not json".getBytes(StandardCharsets.UTF_8));
        List<CameraStatus> statuses = new CopyOnWriteArrayList<>();
        List<Frame> frames = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();

        try (IngestStage ingest =
                        new IngestStage(env.common("w1"), config(), env.topics(), registry, Clock.systemUTC());
                KafkaConsumer<String, Frame> fr = env.reader(
                        env.topics().frames.name(),
                        env.topics().frames.valueSerde().deserializer());
                KafkaConsumer<String, CameraStatus> st = env.reader(
                        env.topics().cameraStatus.name(),
                        env.topics().cameraStatus.valueSerde().deserializer())) {
            ingest.start();
            Runnable pollStatus = () -> st.poll(Duration.ofMillis(50)).forEach(r -> statuses.add(r.value()));

            // 1. frames at the configured rate, keyed by camera, with capture timestamps, scaled to max width
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (ConsumerRecord<String, Frame> r : fr.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo("cam-a");
                    assertThat(r.timestamp()).isEqualTo(r.value().captureTimeMs());
                    frames.add(r.value());
                }
                assertThat(frames).hasSizeGreaterThanOrEqualTo(16);
            });
            frames.forEach(f -> timestamps.add(f.captureTimeMs()));
            // frames buffered while FFmpeg probed the stream come in a burst at connect; their capture times are
            // clamped to "now" (never in the future), so the rate is measured once the stream runs live
            List<Long> tail = timestamps.subList(6, timestamps.size());
            double seconds = (tail.get(tail.size() - 1) - tail.get(0)) / 1000.0;
            double rate = (tail.size() - 1) / seconds;
            System.out.printf(
                    "cam-a: %d frames, %.2f fps published (configured 2), sizes %dx%d, %d B%n",
                    frames.size(),
                    rate,
                    frames.get(0).width(),
                    frames.get(0).height(),
                    frames.get(0).jpeg().length);
            assertThat(rate).isBetween(1.6, 2.4);
            assertThat(frames).allSatisfy(f -> assertThat(f.width()).isEqualTo(320));
            assertThat(frames.get(0).jpeg()).startsWith((byte) 0xff, (byte) 0xd8);
            // frames of the connect burst may share the clamped "now" to the millisecond; live ones are 500 ms apart
            for (int i = 1; i < frames.size(); i++) {
                assertThat(frames.get(i).sequence())
                        .isGreaterThan(frames.get(i - 1).sequence());
                assertThat(frames.get(i).captureTimeMs())
                        .isGreaterThanOrEqualTo(frames.get(i - 1).captureTimeMs());
            }
            for (int i = 1; i < tail.size(); i++) {
                assertThat(tail.get(i)).isGreaterThan(tail.get(i - 1));
            }

            // 2. a bad URL fails that camera only, with FFmpeg's reason; the broken record is counted and skipped
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                pollStatus.run();
                assertThat(statuses).anySatisfy(s -> {
                    assertThat(s.cameraId()).isEqualTo("cam-bad");
                    assertThat(s.state()).isEqualTo(CameraState.FAILED);
                    assertThat(s.reason()).isNotBlank();
                });
            });
            System.out.println("cam-bad reason: "
                    + statuses.stream()
                            .filter(s -> s.cameraId().equals("cam-bad") && s.reason() != null)
                            .findFirst()
                            .orElseThrow()
                            .reason());
            assertThat(registry.get("vigil.ingest.cameras.invalid").counter().count())
                    .isEqualTo(1);
            assertThat(ingest.cameras()).containsExactlyInAnyOrder("cam-a", "cam-bad");

            // 3. the server is killed: the camera reconnects; restarted, it streams again and frames resume
            camA.stop();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                pollStatus.run();
                assertThat(statuses)
                        .anyMatch(s -> s.cameraId().equals("cam-a") && s.state() == CameraState.RECONNECTING);
            });
            statuses.clear();
            camA.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                pollStatus.run();
                assertThat(statuses).anyMatch(s -> s.cameraId().equals("cam-a") && s.state() == CameraState.STREAMING);
            });
            int before = frames.size();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                fr.poll(Duration.ofMillis(200)).forEach(r -> frames.add(r.value()));
                assertThat(frames.size()).isGreaterThan(before + 3);
            });
            assertThat(registry.get("vigil.ingest.reconnects")
                            .tag("camera", "cam-a")
                            .counter()
                            .count())
                    .isPositive();

            // 4. the server stalls (SIGSTOP): detected within the timeout, and the status says so
            statuses.clear();
            long stalledAt = System.currentTimeMillis();
            camA.pause();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                pollStatus.run();
                assertThat(statuses)
                        .anyMatch(s -> s.cameraId().equals("cam-a") && s.state() == CameraState.RECONNECTING);
            });
            CameraStatus stall = statuses.stream()
                    .filter(s -> s.state() == CameraState.RECONNECTING)
                    .findFirst()
                    .orElseThrow();
            // TCP buffers on both ends still hold a few seconds of video after SIGSTOP; the stall counts from when
            // data stops arriving, and must be declared within the 2 s timeout of that (plus scheduling slack)
            System.out.printf("stall reported %d ms after SIGSTOP: %s%n", stall.atMs() - stalledAt, stall.reason());
            Matcher waited = Pattern.compile("no data for (\\d+) ms").matcher(stall.reason());
            assertThat(waited.find()).as(stall.reason()).isTrue();
            assertThat(Long.parseLong(waited.group(1))).isBetween(1_800L, 3_000L);
            assertThat(stall.atMs() - stalledAt).isLessThan(15_000);
            camA.resume();
        }
    }

    @Test
    void twoWorkersSplitTheCamerasAndTakeOverWhenOneStops(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "ing2.");
        for (int i = 0; i < 6; i++) {
            env.register(new CameraSpec("c" + i, (i % 2 == 0 ? camA : camB).url(), 1, 160, true, Map.of()));
        }
        try (IngestStage w1 = new IngestStage(
                env.common("w1"), config(), env.topics(), new SimpleMeterRegistry(), Clock.systemUTC())) {
            w1.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> w1.cameras().size() == 6);
            try (IngestStage w2 = new IngestStage(
                    env.common("w2"), config(), env.topics(), new SimpleMeterRegistry(), Clock.systemUTC())) {
                w2.start();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(w1.cameras()).isNotEmpty();
                    assertThat(w2.cameras()).isNotEmpty();
                    assertThat(w1.cameras().size() + w2.cameras().size()).isEqualTo(6);
                    assertThat(w1.cameras()).doesNotContainAnyElementsOf(w2.cameras());
                });
                System.out.println("split: w1=" + w1.cameras() + " w2=" + w2.cameras());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> w1.cameras().size() == 6);
        }
    }

    @Test
    void camerasThisDeploymentDoesNotAllowAreNeverOpenedAndSecretsNeverShown(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "ing3.");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(listener.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = listener.getLocalPort();
            // by name, by literal, and by a numeric form only the C library reads as loopback
            env.register(new CameraSpec(
                    "local-name", "rtsp://admin:Sup3rSecret@localhost:" + port + "/x", 2, 0, false, Map.of()));
            env.register(new CameraSpec(
                    "local-ip", "rtsp://127.0.0.1:" + port + "/x?token=Sup3rSecret", 2, 0, false, Map.of()));
            env.register(new CameraSpec("local-int", "rtsp://2130706433:" + port + "/x", 2, 0, false, Map.of()));
            env.register(new CameraSpec("metadata", "http://169.254.169.254/latest/meta-data/", 2, 0, false, Map.of()));
            env.register(new CameraSpec("a-file", "file:///etc/hostname", 2, 0, false, Map.of()));
            env.raw(
                    "listener",
                    ("{\"id\":\"listener\",\"url\":\"rtsp://u:Sup3rSecret@10.9.9.9/x\",\"fps\":2,"
                                    + "\"options\":{\"listen\":\"1\"}}")
                            .getBytes(StandardCharsets.UTF_8));
            env.raw(
                    "docker",
                    "{\"id\":\"docker\",\"url\":\"file:unix:/var/run/docker.sock\",\"fps\":2}"
                            .getBytes(StandardCharsets.UTF_8));
            List<CameraStatus> statuses = new CopyOnWriteArrayList<>();
            List<ConsumerRecord<String, byte[]>> dead = new CopyOnWriteArrayList<>();
            try (IngestStage ingest =
                            new IngestStage(env.common("w3"), config(""), env.topics(), registry, Clock.systemUTC());
                    KafkaConsumer<String, CameraStatus> st = env.reader(
                            env.topics().cameraStatus.name(),
                            env.topics().cameraStatus.valueSerde().deserializer());
                    KafkaConsumer<String, byte[]> dl =
                            env.reader(env.topics().dlq.name(), new ByteArrayDeserializer())) {
                ingest.start();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    st.poll(Duration.ofMillis(100)).forEach(r -> statuses.add(r.value()));
                    dl.poll(Duration.ofMillis(100)).forEach(dead::add);
                    assertThat(statuses)
                            .filteredOn(s -> s.state() == CameraState.FAILED)
                            .extracting(CameraStatus::cameraId)
                            .contains(
                                    "local-name", "local-ip", "local-int", "metadata", "a-file", "listener", "docker");
                    assertThat(dead)
                            .extracting(ConsumerRecord::key)
                            .contains("local-ip", "local-int", "metadata", "a-file", "listener", "docker");
                });
                Map<String, String> reasons = new HashMap<>();
                statuses.stream()
                        .filter(s -> s.state() == CameraState.FAILED)
                        .forEach(s -> reasons.put(s.cameraId(), s.reason()));
                reasons.forEach((id, reason) -> System.out.println("refused " + id + ": " + reason));
                assertThat(reasons.get("local-name")).contains("loopback").contains("VIGIL_INGEST_ALLOW");
                assertThat(reasons.get("local-int")).contains("loopback");
                assertThat(reasons.get("metadata")).contains("metadata service");
                assertThat(reasons.get("a-file")).contains("local file");
                assertThat(reasons.get("listener")).contains("'listen' is not allowed");
                assertThat(reasons.get("docker")).contains("not a file path");
                // never CONNECTING: none of them was opened, and nothing connected to the listener
                assertThat(statuses).noneMatch(s -> s.state() == CameraState.CONNECTING);
                assertThat(accepted).isEmpty();
                // no secret anywhere it could be read: status reasons, dead letters (headers and masked copies)
                assertThat(statuses)
                        .allSatisfy(s -> assertThat(String.valueOf(s.reason())).doesNotContain("Sup3rSecret"));
                assertThat(dead).allSatisfy(r -> {
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("Sup3rSecret");
                    r.headers()
                            .forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                                    .doesNotContain("Sup3rSecret"));
                });
                assertThat(registry.get("vigil.ingest.cameras.invalid")
                                .counter()
                                .count())
                        .isGreaterThanOrEqualTo(6);
                assertThat(ingest.live()).isTrue();
            }
        }
    }

    @Test
    void removingACameraWhoseServerStallsStopsItAtOnceNotAfterTheTimeout(EmbeddedKafka kafka) throws Exception {
        Env env = env(kafka, "ing4.");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // accepts the connection and never answers: FFmpeg waits in its RTSP handshake
            Thread t = new Thread(() -> {
                try {
                    List<Socket> held = new ArrayList<>();
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            IngestConfig slow = IngestConfig.from(
                    new ConfigReader(Map.of("VIGIL_INGEST_TIMEOUT", "5m", "VIGIL_INGEST_ALLOW", "loopback")));
            env.register(
                    new CameraSpec("stuck", "rtsp://127.0.0.1:" + silent.getLocalPort() + "/x", 2, 0, false, Map.of()));
            List<CameraStatus> statuses = new CopyOnWriteArrayList<>();
            try (IngestStage ingest = new IngestStage(
                            env.common("w4"), slow, env.topics(), new SimpleMeterRegistry(), Clock.systemUTC());
                    KafkaConsumer<String, CameraStatus> st = env.reader(
                            env.topics().cameraStatus.name(),
                            env.topics().cameraStatus.valueSerde().deserializer())) {
                ingest.start();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    st.poll(Duration.ofMillis(100)).forEach(r -> statuses.add(r.value()));
                    assertThat(statuses)
                            .anyMatch(s -> s.cameraId().equals("stuck") && s.state() == CameraState.CONNECTING);
                });
                env.raw("stuck", null);
                // the 5-minute timeout is not waited for: the interrupt callback ends the open at once
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    st.poll(Duration.ofMillis(100)).forEach(r -> statuses.add(r.value()));
                    assertThat(statuses)
                            .anyMatch(s -> s.cameraId().equals("stuck") && s.state() == CameraState.STOPPED);
                    assertThat(ingest.cameras()).isEmpty();
                });
            }
        }
    }
}
