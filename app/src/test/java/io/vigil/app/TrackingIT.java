package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.alert.Alert;
import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.Topic;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SceneClip;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Motion gating and face tracking on real clips through the whole pipeline (embedded broker, GStreamer RTSP cameras,
 * the real models, every stage, default gating and tracking settings):
 *
 * <ul>
 *   <li>a person walks through, leaves, and comes back after the cooldown: one alert per visit, each with its own
 *       track, and the first visit embedded a few times, not in every frame; an unenrolled person walking through in
 *       between raises nothing; frames where nothing moved never reach inference;
 *   <li>a person who fades in too slowly for motion gating to notice and then stands still is found by the periodic
 *       full pass (every alert's frame is a full-pass frame) and keeps one track.
 * </ul>
 */
class TrackingIT {
    static final Path JOHNS = EndToEndIT.JOHNS;
    /** Seconds of each clip looked at: less than a loop, so every visit is seen once. */
    static final long WINDOW_MS = 38_000;

    @Test
    void walkersAlertOncePerVisitAndAStillPersonIsFoundByTheFullPass() throws Exception {
        Path home = Files.createDirectories(
                Path.of("target", "tracking-" + UUID.randomUUID()).toAbsolutePath());
        byte[] simm = Files.readAllBytes(JOHNS.resolve("John_Simm/000305_00470162.jpg"));
        byte[] salley = Files.readAllBytes(JOHNS.resolve("John_Salley/000186_02159346.jpg"));
        Path walk = SceneClip.build(
                List.of(
                        new SceneClip.Pass(simm, 2, 4, -0.3, 1.0, 0.25, 0.4),
                        new SceneClip.Pass(salley, 11, 4, 1.0, -0.3, 0.3, 0.4),
                        new SceneClip.Pass(simm, 22, 4, -0.3, 1.0, 0.2, 0.4)),
                42,
                960,
                540,
                10,
                home.resolve("walk.h264"));
        Path still = SceneClip.build(
                List.of(new SceneClip.Pass(
                        DemoAssets.read("scene/1-grace_hopper.jpg"), 3, 40, 0.4, 0.4, 0.25, 0.45, 9)),
                42,
                960,
                540,
                10,
                home.resolve("still.h264"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"));
                RtspServer walkCam = RtspServer.start(walk, "/walk", 10);
                RtspServer stillCam = RtspServer.start(still, "/still", 10);
                Pipeline pipeline = Pipeline.start(
                        Settings.load(new ConfigReader(Map.of(
                                "VIGIL_HOME", home.toString(),
                                "VIGIL_HTTP_PORT", "0",
                                "VIGIL_MATCHER_COOLDOWN", "8s",
                                "VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                                "VIGIL_INGEST_ALLOW", "loopback"))),
                        StageKind.ALL,
                        false)) {
            String bootstrap = pipeline.bootstrap();
            Path grace = home.resolve("grace.jpg");
            Files.write(grace, DemoAssets.read("watchlist/Grace_Hopper/grace_hopper_crop.jpg"));
            EndToEndIT.enrol(
                    bootstrap,
                    "John_Simm",
                    JOHNS.resolve("John_Simm/000288_00470387.jpg"),
                    JOHNS.resolve("John_Simm/000300_00470148.jpg"));
            EndToEndIT.enrol(bootstrap, "Grace_Hopper", grace);
            for (var cam : Map.of("walk", walkCam, "still", stillCam).entrySet()) {
                assertThat(VigilCommandTest.run(
                                        "camera",
                                        "add",
                                        "--id",
                                        cam.getKey(),
                                        "--url",
                                        cam.getValue().url(),
                                        "--fps",
                                        "5",
                                        "--bootstrap",
                                        bootstrap)
                                .exit())
                        .isZero();
            }
            // both clips from their first frame for WINDOW_MS, plus time for the last frames to pass the pipeline
            Thread.sleep(WINDOW_MS + 15_000);

            List<Frame> frames = values(bootstrap, pipeline.topics().frames);
            List<FrameFaces> faces = values(bootstrap, pipeline.topics().faces);
            List<Alert> alerts = values(bootstrap, pipeline.topics().alerts).stream()
                    .sorted(Comparator.comparing(Alert::capturedAt))
                    .toList();
            long walkStart = first(frames, "walk");
            long stillStart = first(frames, "still");

            List<Alert> walkAlerts = alerts.stream()
                    .filter(a -> a.cameraId().equals("walk"))
                    .filter(a -> a.capturedAt().toEpochMilli() < walkStart + WINDOW_MS)
                    .toList();
            assertThat(walkAlerts)
                    .as("John Simm's two visits, 20 s apart: one alert each (John Salley is not enrolled)")
                    .hasSize(2)
                    .allMatch(a -> a.personId().equals("John_Simm"))
                    .allMatch(a -> a.trackId() != null);
            assertThat(walkAlerts.get(0).trackId())
                    .isNotEqualTo(walkAlerts.get(1).trackId());
            assertThat(walkAlerts.get(1).capturedAt().toEpochMilli()
                            - walkAlerts.get(0).capturedAt().toEpochMilli())
                    .isBetween(15_000L, 25_000L);

            // the first visit: a face in view for 4 s (about 20 sampled frames), embedded only a few times
            long track = walkAlerts.get(0).trackId();
            List<FrameFaces> walkFaces =
                    faces.stream().filter(f -> f.cameraId().equals("walk")).toList();
            long embedded = walkFaces.stream()
                    .flatMap(f -> f.faces().stream())
                    .filter(f -> f.trackId() == track)
                    .count();
            assertThat(embedded).as("views of the first visit embedded").isBetween(1L, 5L);
            long framesPublished = frames.stream()
                    .filter(f -> f.cameraId().equals("walk") && f.captureTimeMs() < walkStart + WINDOW_MS)
                    .count();
            assertThat(framesPublished)
                    .as(
                            "frames that reached inference, of %d sampled: the ones that moved and a full pass every 2 s",
                            WINDOW_MS / 200)
                    .isBetween(WINDOW_MS / 2_000, WINDOW_MS / 200 * 6 / 10);
            Set<Long> walkTracks = walkFaces.stream()
                    .filter(f -> f.captureTimeMs() < walkStart + WINDOW_MS)
                    .flatMap(f -> f.faces().stream())
                    .map(Face::trackId)
                    .collect(Collectors.toSet());
            assertThat(walkTracks).as("three visits, three tracks").hasSizeBetween(3, 4);

            List<Alert> stillAlerts = alerts.stream()
                    .filter(a -> a.cameraId().equals("still"))
                    .filter(a -> a.capturedAt().toEpochMilli() < stillStart + WINDOW_MS)
                    .toList();
            assertThat(stillAlerts)
                    .as("Grace Hopper, standing still: alerted, and again after the cooldown only for a better view")
                    .isNotEmpty()
                    .allMatch(a -> a.personId().equals("Grace_Hopper"));
            assertThat(stillAlerts.stream().map(Alert::trackId).distinct())
                    .as("one track while she stands there")
                    .hasSize(1);
            for (Alert found : stillAlerts) {
                Frame alerted = frames.stream()
                        .filter(f -> f.cameraId().equals("still") && f.sequence() == found.frameSequence())
                        .findFirst()
                        .orElseThrow();
                assertThat(alerted.motion().fullPass())
                        .as("found by the periodic full pass, not by motion: %s", alerted.motion())
                        .isTrue();
            }
        }
    }

    private static long first(List<Frame> frames, String camera) {
        return frames.stream()
                .filter(f -> f.cameraId().equals(camera))
                .mapToLong(Frame::captureTimeMs)
                .min()
                .orElseThrow(() -> new AssertionError("camera " + camera + " published no frame"));
    }

    /** Every committed value of a topic, in order per partition. */
    private static <V> List<V> values(String bootstrap, Topic<String, V> topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        16 * 1024 * 1024),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return HostileInputIT.readAll(c, topic.name()).stream()
                    .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                    .toList();
        }
    }
}
