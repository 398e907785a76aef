package io.vigil.inference.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.CaptureWindow;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.VigilTopics;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.FaceFixtures;
import io.vigil.inference.face.Images;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The worker's per-camera tracks with the real models: what it holds, and when it lets go. */
class FrameBatcherIT {
    private static final VigilTopics TOPICS = new VigilTopics();
    private static final InferenceConfig CONFIG =
            InferenceConfig.from(new ConfigReader(Map.of("VIGIL_INFERENCE_BATCH_SIZE", "1")));
    private static FaceAnalyzer analyzer;

    private final MovableClock clock = new MovableClock();
    private MockProducer<byte[], byte[]> producer;
    private FrameBatcher batcher;
    private long offset;

    @BeforeAll
    static void loadModels() {
        analyzer = CONFIG.analyzer(4, FaceAnalyzer.Listener.NONE);
    }

    @AfterAll
    static void closeModels() {
        analyzer.close();
    }

    @BeforeEach
    void newWorker() {
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        InferenceMetrics metrics = new InferenceMetrics();
        metrics.bindTo(new SimpleMeterRegistry());
        batcher = new FrameBatcher(
                producer, analyzer, metrics, CONFIG, CaptureWindow.DEFAULT, TOPICS.frames, TOPICS.faces, clock);
    }

    @Test
    void camerasWithoutFacesHoldNoTracks() throws Exception {
        byte[] empty = FaceFixtures.bytes("misc/no-face-landscape.jpg");
        for (int i = 0; i < 40; i++) {
            send("made-up-" + i, 0, 0, empty);
        }
        assertThat(producer.history()).hasSize(40);
        assertThat(batcher.trackedCameras()).isZero();
    }

    @Test
    void aRevokedCameraStartsItsTracksAnew() throws Exception {
        byte[] grace = FaceFixtures.bytes("misc/grace_hopper_512x512.jpg");
        long first = onlyTrack(send("door", 0, 0, grace));
        assertThat(batcher.trackedCameras()).isEqualTo(1);
        assertThat(send("door", 0, 1, grace).faces())
                .as("same face, same view: not embedded again")
                .isEmpty();
        assertThat(batcher.trackedCameras()).isEqualTo(1);

        batcher.revoked(List.of(new TopicPartition("vigil.frames", 1)));
        assertThat(batcher.trackedCameras())
                .as("another partition's revoke keeps this camera")
                .isEqualTo(1);
        batcher.revoked(List.of(new TopicPartition("vigil.frames", 0)));
        assertThat(batcher.trackedCameras()).isZero();

        long second = onlyTrack(send("door", 0, 2, grace));
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aCameraThatFallsSilentIsLetGo() throws Exception {
        byte[] grace = FaceFixtures.bytes("misc/grace_hopper_512x512.jpg");
        onlyTrack(send("lobby", 3, 0, grace));
        batcher.afterPoll();
        assertThat(batcher.trackedCameras()).isEqualTo(1);

        clock.advance(CONFIG.tracking().tracker().ttlMs() + 1_000);
        batcher.afterPoll();
        assertThat(batcher.trackedCameras()).isZero();
    }

    private static long onlyTrack(FrameFaces faces) {
        assertThat(faces.faces()).hasSize(1);
        assertThat(faces.model()).as("the embedder that made the embedding").isEqualTo(EmbedderModel.BUNDLED);
        long id = faces.faces().get(0).trackId();
        assertThat(id).isNotEqualTo(Face.NO_TRACK);
        return id;
    }

    /** One frame through the worker (a batch of one is analysed at once), and the faces record it published. */
    private FrameFaces send(String camera, int partition, long sequence, byte[] jpeg) throws Exception {
        int width;
        int height;
        try (Mat m = Images.decode(jpeg)) {
            width = m.cols();
            height = m.rows();
        }
        Frame frame = new Frame(camera, sequence, clock.millis(), width, height, jpeg);
        byte[] key = camera.getBytes(StandardCharsets.UTF_8);
        byte[] value = TOPICS.frames.valueSerde().serializer().serialize(TOPICS.frames.name(), frame);
        batcher.handle(new ConsumerRecord<>(TOPICS.frames.name(), partition, offset++, key, value))
                .toCompletableFuture()
                .get();
        byte[] published = producer.history().get(producer.history().size() - 1).value();
        return TOPICS.faces.valueSerde().deserializer().deserialize(TOPICS.faces.name(), published);
    }

    private static final class MovableClock extends Clock {
        private long millis = System.currentTimeMillis();

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
