package io.vigil.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Two matcher instances on the real broker: each holds the whole watchlist, they split the faces, exactly once. */
@ExtendWith(EmbeddedKafkaExtension.class)
class MatcherIT {

    @Test
    void twoInstancesHoldTheWholeWatchlistSplitTheFacesAndSeeRemovals(EmbeddedKafka kafka) throws Exception {
        VigilTopics topics = new VigilTopics("m2.");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TopicSetup(admin, (short) 1).ensure(topics.specs());
        }
        Random r = new Random(11);
        float[] a = Vectors.random(512, r);
        float[] b = Vectors.random(512, r);
        CommonConfig common1 = CommonConfig.from(new ConfigReader(Map.of("VIGIL_INSTANCE_ID", "m1")))
                .withBootstrap(kafka.bootstrapServers());
        CommonConfig common2 = CommonConfig.from(new ConfigReader(Map.of("VIGIL_INSTANCE_ID", "m2")))
                .withBootstrap(kafka.bootstrapServers());
        Path state = Path.of("target", "matcher-it-" + UUID.randomUUID());
        MatcherConfig c1 = new MatcherConfig(0.4, Duration.ZERO, "m2.matcher", state.resolve("1"), 1);
        MatcherConfig c2 = new MatcherConfig(0.4, Duration.ZERO, "m2.matcher", state.resolve("2"), 1);
        SimpleMeterRegistry r1 = new SimpleMeterRegistry();
        SimpleMeterRegistry r2 = new SimpleMeterRegistry();

        try (KafkaProducer<String, WatchlistEntry> wl = producer(
                        kafka,
                        topics.watchlist.keySerde().serializer(),
                        topics.watchlist.valueSerde().serializer());
                KafkaProducer<String, FrameFaces> fp = producer(
                        kafka,
                        topics.faces.keySerde().serializer(),
                        topics.faces.valueSerde().serializer());
                MatcherStage m1 = new MatcherStage(common1, c1, topics, r1);
                MatcherStage m2 = new MatcherStage(common2, c2, topics, r2)) {
            wl.send(new ProducerRecord<>(topics.watchlist.name(), "p-a", entry("p-a", a)))
                    .get();
            wl.send(new ProducerRecord<>(topics.watchlist.name(), "p-b", entry("p-b", b)))
                    .get();
            m1.start();
            m2.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> m1.ready() && m2.ready());
            await().atMost(Duration.ofSeconds(30)).until(() -> m1.watchlistSize() == 2 && m2.watchlistSize() == 2);

            int cameras = 24;
            for (int cam = 0; cam < cameras; cam++) {
                fp.send(new ProducerRecord<>(
                        topics.faces.name(), "cam" + cam, faces("cam" + cam, 1, Vectors.withSimilarity(a, 0.9, r))));
            }
            fp.flush();
            List<Alert> alerts = new ArrayList<>();
            try (KafkaConsumer<String, Alert> reader = reader(kafka, topics)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    reader.poll(Duration.ofMillis(200)).forEach(rec -> alerts.add(rec.value()));
                    assertThat(alerts).hasSize(cameras);
                });
                assertThat(alerts).allMatch(al -> al.personId().equals("p-a"));
                double handled1 = r1.get("vigil.matcher.faces")
                        .tag("outcome", "matched")
                        .counter()
                        .count();
                double handled2 = r2.get("vigil.matcher.faces")
                        .tag("outcome", "matched")
                        .counter()
                        .count();
                assertThat(handled1 + handled2).isEqualTo(cameras);
                assertThat(handled1).as("instance 1 took a share").isPositive();
                assertThat(handled2).as("instance 2 took a share").isPositive();

                wl.send(new ProducerRecord<>(topics.watchlist.name(), "p-a", null))
                        .get();
                await().atMost(Duration.ofSeconds(30)).until(() -> m1.watchlistSize() == 1 && m2.watchlistSize() == 1);
                for (int cam = 0; cam < cameras; cam++) {
                    fp.send(new ProducerRecord<>(
                            topics.faces.name(),
                            "cam" + cam,
                            faces(
                                    "cam" + cam,
                                    2,
                                    Vectors.withSimilarity(a, 0.9, r),
                                    Vectors.withSimilarity(b, 0.9, r))));
                }
                fp.flush();
                List<Alert> after = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    reader.poll(Duration.ofMillis(200)).forEach(rec -> after.add(rec.value()));
                    assertThat(after).hasSize(cameras);
                });
                assertThat(after).allMatch(al -> al.personId().equals("p-b"));
            }
            assertThat(m1.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static WatchlistEntry entry(String id, float[] e) {
        return new WatchlistEntry(id, id, List.of(e), null, Map.of(), 0);
    }

    private static FrameFaces faces(String camera, long seq, float[]... embeddings) {
        List<Face> fs = new ArrayList<>();
        for (float[] e : embeddings) {
            fs.add(new Face(new FaceBox(0, 0, 50, 50), new float[10], 0.99f, e, new byte[0]));
        }
        long now = System.currentTimeMillis();
        return new FrameFaces(camera, seq, now, now, 640, 480, fs);
    }

    private static <K, V> KafkaProducer<K, V> producer(EmbeddedKafka kafka, Serializer<K> k, Serializer<V> v) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), k, v);
    }

    private static KafkaConsumer<String, Alert> reader(EmbeddedKafka kafka, VigilTopics topics) {
        KafkaConsumer<String, Alert> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "alerts-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                topics.alerts.keySerde().deserializer(),
                topics.alerts.valueSerde().deserializer());
        c.subscribe(List.of(topics.alerts.name()));
        return c;
    }
}
