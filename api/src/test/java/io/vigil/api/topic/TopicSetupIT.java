package io.vigil.api.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.Fixtures;
import io.vigil.api.frame.Frame;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@ExtendWith(EmbeddedKafkaExtension.class)
class TopicSetupIT {
    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void setUp(EmbeddedKafka broker) {
        kafka = broker;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void tearDown() {
        admin.close();
    }

    @Test
    void createsEveryTopicWithItsConfigsThenChangesNothingOnASecondRun() throws Exception {
        VigilTopics topics = new VigilTopics("setup1.");
        TopicSetup setup = new TopicSetup(admin, (short) 1);

        TopicSetup.Report first = setup.ensure(topics.specs());
        assertThat(first.created())
                .containsExactlyElementsOf(
                        topics.specs().stream().map(TopicSpec::name).toList());
        assertThat(first.mismatches()).isEmpty();

        var described = admin.describeTopics(List.of("setup1.frames", "setup1.cameras"))
                .allTopicNames()
                .get();
        assertThat(described.get("setup1.frames").partitions()).hasSize(24);
        Config frames = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "setup1.frames")))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(frames.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value())
                .isEqualTo(String.valueOf(VigilTopics.FRAMES_MAX_MESSAGE_BYTES));
        Config cameras = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "setup1.cameras")))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(cameras.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");

        TopicSetup.Report second = setup.ensure(topics.specs());
        assertThat(second.created()).isEmpty();
        assertThat(second.mismatches()).isEmpty();
        assertThat(second.unchanged()).hasSize(topics.specs().size());
    }

    @Test
    void reportsButDoesNotChangeATopicThatDiffers() throws Exception {
        VigilTopics topics = new VigilTopics("setup2.");
        admin.createTopics(List.of(new NewTopic("setup2.cameras", 2, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"))))
                .all()
                .get();

        TopicSetup.Report report = new TopicSetup(admin, (short) 1).ensure(topics.specs());

        assertThat(report.created())
                .doesNotContain("setup2.cameras")
                .hasSize(topics.specs().size() - 1);
        assertThat(report.mismatches())
                .hasSize(2)
                .anyMatch(m -> m.contains("setup2.cameras: partitions expected 12 but is 2"))
                .anyMatch(m -> m.contains("cleanup.policy expected compact but is delete"));
        assertThat(admin.describeTopics(List.of("setup2.cameras"))
                        .allTopicNames()
                        .get()
                        .get("setup2.cameras")
                        .partitions())
                .hasSize(2);
    }

    @Test
    void roundTripsOneMegabyteFramesThroughTheBroker() throws Exception {
        VigilTopics topics = new VigilTopics("setup3.");
        new TopicSetup(admin, (short) 1).ensure(topics.specs());
        Topic<String, Frame> t = topics.frames;
        Frame frame = Fixtures.frame(1024 * 1024);
        try (KafkaProducer<String, Frame> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        VigilTopics.FRAMES_MAX_MESSAGE_BYTES),
                t.keySerde().serializer(),
                t.valueSerde().serializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(t.name(), frame.cameraId(), frame))
                        .get();
            }
        }
        List<Frame> received = new ArrayList<>();
        try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "frames-1mb",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                t.keySerde().deserializer(),
                t.valueSerde().deserializer())) {
            consumer.subscribe(List.of(t.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < 3 && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, Frame> r : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(r.key()).isEqualTo("lobby-1");
                    received.add(r.value());
                }
            }
        }
        assertThat(received).hasSize(3).allSatisfy(f -> assertThat(f).isEqualTo(frame));
    }
}
