package io.vigil.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;
import io.vigil.api.serde.FrameSerde;
import io.vigil.api.topic.DeadLetters;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.inference.face.FaceFixtures;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ExtendWith(EmbeddedKafkaExtension.class)
class InferenceStageIT {

    @Test
    void publishesFacesForEveryFrameAndDeadLettersTheBadOnes(EmbeddedKafka kafka) throws Exception {
        VigilTopics topics = new VigilTopics("inf1.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicSetup(admin, (short) 1).ensure(topics.specs());
        }
        CommonConfig common = CommonConfig.from(new ConfigReader(Map.of())).withBootstrap(kafka.bootstrapServers());
        InferenceConfig config = InferenceConfig.from(new ConfigReader(Map.of("VIGIL_INFERENCE_BATCH_SIZE", "4")));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FrameSerde frames = new FrameSerde();

        try (InferenceStage stage = new InferenceStage(common, config, topics, registry);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            stage.start();
            long now = System.currentTimeMillis();
            byte[] grace = FaceFixtures.bytes("misc/grace_hopper_512x512.jpg");
            byte[] john = FaceFixtures.bytes("johns-dev/John_Simm/000288_00470387.jpg");
            byte[] landscape = FaceFixtures.bytes("misc/no-face-landscape.jpg");
            List<Frame> good = List.of(
                    new Frame("cam-a", 0, now, 512, 512, grace),
                    new Frame("cam-a", 1, now + 200, 150, 150, john),
                    new Frame("cam-b", 0, now + 100, 640, 427, landscape));
            for (Frame f : good) {
                send(producer, topics.frames.name(), f.cameraId(), frames.encode(f));
            }
            byte[] unknownVersion = frames.encode(new Frame("cam-c", 0, 1, 2, 2, new byte[4]));
            unknownVersion[0] = 9;
            send(producer, topics.frames.name(), "cam-c", unknownVersion);
            byte[] truncated = Arrays.copyOf(frames.encode(new Frame("cam-c", 0, 1, 512, 512, grace)), 40);
            send(producer, topics.frames.name(), "cam-c", truncated);
            send(
                    producer,
                    topics.frames.name(),
                    "cam-c",
                    frames.encode(new Frame(
                            "cam-c", 1, now, 640, 480, "not a jpeg at all".getBytes(StandardCharsets.UTF_8))));
            send(
                    producer,
                    topics.frames.name(),
                    "cam-c",
                    frames.encode(new Frame("cam-c", 2, now, 20000, 20000, grace)));
            // hostile frames: a time that is not a time (it killed the worker once), a decompression bomb (the JPEG's
            // header says 16000x16000, the record 8x8), a record under another camera's key, a JPEG of the wrong size
            send(producer, topics.frames.name(), "cam-c", frames.encode(new Frame("cam-c", 3, -5, 512, 512, grace)));
            send(producer, topics.frames.name(), "cam-c", frames.encode(new Frame("cam-c", 4, now, 8, 8, bomb(grace))));
            send(producer, topics.frames.name(), "cam-x", frames.encode(new Frame("cam-c", 5, now, 512, 512, grace)));
            send(producer, topics.frames.name(), "cam-c", frames.encode(new Frame("cam-c", 6, now, 640, 480, grace)));
            send(
                    producer,
                    topics.frames.name(),
                    "cam-c",
                    frames.encode(new Frame("cam-c", 7, now + 3_600_000, 512, 512, grace)));
            // and after them, a good frame is still analysed
            send(
                    producer,
                    topics.frames.name(),
                    "cam-a",
                    frames.encode(new Frame("cam-a", 2, now + 300, 512, 512, grace)));

            List<FrameFaces> faces = new ArrayList<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = reader(kafka)) {
                reader.subscribe(List.of(topics.faces.name(), topics.dlq.name()));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        if (r.topic().equals(topics.faces.name())) {
                            FrameFaces ff =
                                    topics.faces.valueSerde().deserializer().deserialize(r.topic(), r.value());
                            assertThat(new String(r.key(), StandardCharsets.UTF_8))
                                    .isEqualTo(ff.cameraId());
                            assertThat(r.timestamp()).isEqualTo(ff.captureTimeMs());
                            faces.add(ff);
                        } else {
                            dead.add(r);
                        }
                    }
                    assertThat(faces).hasSize(4);
                    assertThat(dead).hasSize(9);
                });
            }
            Map<String, Integer> facesPerFrame = new HashMap<>();
            faces.forEach(ff -> facesPerFrame.put(
                    ff.cameraId() + "#" + ff.sequence(), ff.faces().size()));
            assertThat(facesPerFrame)
                    .containsEntry("cam-a#0", 1)
                    .containsEntry("cam-a#1", 1)
                    .containsEntry("cam-b#0", 0)
                    .containsEntry("cam-a#2", 1);
            FrameFaces first = faces.stream()
                    .filter(f -> f.cameraId().equals("cam-a") && f.sequence() == 0)
                    .findFirst()
                    .orElseThrow();
            assertThat(first.captureTimeMs()).isEqualTo(now);
            assertThat(first.faces().get(0).embedding()).hasSize(512);

            assertThat(dead)
                    .extracting(r -> new String(
                            r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            "unknown-version",
                            "corrupt-record",
                            "corrupt-jpeg",
                            "oversized-frame",
                            "invalid-capture-time",
                            "size-mismatch",
                            "key-mismatch",
                            "size-mismatch",
                            "invalid-capture-time");
            assertThat(dead)
                    .allSatisfy(r -> assertThat(new String(
                                    r.headers()
                                            .lastHeader(DeadLetters.SOURCE_TOPIC)
                                            .value(),
                                    StandardCharsets.UTF_8))
                            .isEqualTo("inf1.frames"));
            assertThat(registry.get("vigil.dlq.records")
                            .tag("reason", "corrupt-jpeg")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("vigil.inference.frames")
                            .tag("outcome", "processed")
                            .counter()
                            .count())
                    .isEqualTo(4);
            assertThat(registry.get("vigil.inference.faces").counter().count()).isEqualTo(3);
            assertThat(registry.get("vigil.inference.frames")
                            .tag("reason", "size-mismatch")
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(stage.live()).isTrue();
            assertThat(registry.get("vigil.inference.duration")
                            .tag("step", "embed")
                            .timer()
                            .count())
                    .isPositive();
            assertThat(registry.get("vigil.inference.device")
                            .tag("device", "cpu")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(stage.ready()).isTrue();
        }
    }

    /** The same JPEG with its frame header claiming 16000x16000 pixels: decoded, it would take about 768 MB. */
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
        throw new IllegalStateException("no frame header found");
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, byte[] value) throws Exception {
        p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                .get();
    }

    private static KafkaConsumer<byte[], byte[]> reader(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "reader-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }
}
