package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.cli.VigilCommandTest;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.InferenceStage;
import io.vigil.matcher.MatcherConfig;
import io.vigil.matcher.MatcherStage;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Real photos through the real pipeline pieces: enrol three of the five johns-dev people with the CLI from their
 * first three photos, then send every person's other three photos as frames through inference and the matcher:
 * exactly the enrolled people alert, each on their own camera.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WatchlistMatchIT {
    static final Path JOHNS = Path.of("..", "inference", "src", "test", "resources", "faces", "johns-dev");
    static final List<String> ENROLLED = List.of("John_Salley", "John_Savage", "John_Simm");

    @Test
    void enrolledPeopleAlertOnTheirOwnCamerasAndOthersNever(EmbeddedKafka kafka) throws Exception {
        String bootstrap = kafka.bootstrapServers();
        Path gallery = Files.createDirectories(Path.of("target", "gallery-" + UUID.randomUUID()));
        for (String person : ENROLLED) {
            Path dst = Files.createDirectories(gallery.resolve(person));
            for (Path photo : photos(person).subList(0, 3)) {
                Files.copy(photo, dst.resolve(photo.getFileName()));
            }
        }
        CommonConfig common = CommonConfig.from(new ConfigReader(Map.of())).withBootstrap(bootstrap);
        VigilTopics topics = new VigilTopics(common.topicPrefix());
        Pipeline.setUpTopics(new Settings(common, null, null, null, null, null), topics);

        assertThat(VigilCommandTest.run("watchlist", "import", gallery.toString(), "--bootstrap", bootstrap)
                        .exit())
                .isZero();
        VigilCommandTest.Result noFace = VigilCommandTest.run(
                "watchlist",
                "add",
                "--id",
                "nobody",
                "--bootstrap",
                bootstrap,
                "--image",
                "../inference/src/test/resources/faces/misc/no-face-landscape.jpg");
        assertThat(noFace.exit()).isEqualTo(1);
        assertThat(noFace.err()).contains("no face found");
        VigilCommandTest.Result ls = VigilCommandTest.run("watchlist", "ls", "--bootstrap", bootstrap);
        assertThat(ls.out())
                .contains("John_Salley", "John_Savage", "John_Simm", "3 people")
                .doesNotContain("nobody");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MatcherConfig matcherConfig = new MatcherConfig(
                0.40, Duration.ofSeconds(60), "vigil.matcher", Path.of("target", "state-" + UUID.randomUUID()), 1);
        try (InferenceStage inference =
                        // each frame is another photo: every one is matched on its own, not followed as one track
                        new InferenceStage(
                                common,
                                InferenceConfig.from(new ConfigReader(Map.of("VIGIL_INFERENCE_TRACKING", "false"))),
                                topics,
                                registry);
                MatcherStage matcher = new MatcherStage(common, matcherConfig, topics, registry);
                KafkaProducer<String, Frame> frames = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        topics.frames.keySerde().serializer(),
                        topics.frames.valueSerde().serializer())) {
            inference.start();
            matcher.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> matcher.ready() && matcher.watchlistSize() == 3);
            long t = System.currentTimeMillis();
            List<String> everyone;
            try (Stream<Path> l = Files.list(JOHNS)) {
                everyone = l.map(p -> p.getFileName().toString()).sorted().toList();
            }
            for (String person : everyone) {
                List<Path> probes = photos(person).subList(3, 6);
                for (int i = 0; i < probes.size(); i++) {
                    byte[] jpeg = Files.readAllBytes(probes.get(i));
                    frames.send(new ProducerRecord<>(
                                    topics.frames.name(),
                                    "cam-" + person,
                                    new Frame("cam-" + person, i, t + i * 1000L, 150, 150, jpeg)))
                            .get();
                }
            }
            List<Alert> alerts = new ArrayList<>();
            try (KafkaConsumer<String, Alert> reader = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "it-reader",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    topics.alerts.keySerde().deserializer(),
                    topics.alerts.valueSerde().deserializer())) {
                reader.subscribe(List.of(topics.alerts.name()));
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    reader.poll(Duration.ofMillis(300)).forEach(r -> alerts.add(r.value()));
                    assertThat(registry.get("vigil.matcher.faces")
                                            .tag("outcome", "unmatched")
                                            .counter()
                                            .count()
                                    + registry.get("vigil.matcher.faces")
                                            .tag("outcome", "matched")
                                            .counter()
                                            .count())
                            .isEqualTo(15);
                    assertThat(alerts).hasSize(3);
                });
                reader.poll(Duration.ofSeconds(1)).forEach(r -> alerts.add(r.value()));
            }
            assertThat(alerts)
                    .extracting(a -> a.cameraId() + "=" + a.personId())
                    .containsExactlyInAnyOrder(
                            "cam-John_Salley=John_Salley", "cam-John_Savage=John_Savage", "cam-John_Simm=John_Simm");
            assertThat(alerts).allSatisfy(a -> assertThat(a.similarity()).isGreaterThan(0.40));
            assertThat(registry.get("vigil.matcher.alerts")
                            .tag("outcome", "suppressed")
                            .counter()
                            .count())
                    .as("the other two sightings of each enrolled person fall in the cooldown")
                    .isEqualTo(6);
            assertThat(registry.get("vigil.matcher.faces")
                            .tag("outcome", "unmatched")
                            .counter()
                            .count())
                    .as("the six photos of the two people not enrolled")
                    .isEqualTo(6);
        }

        assertThat(VigilCommandTest.run("watchlist", "rm", "--id", "John_Simm", "--bootstrap", bootstrap)
                        .exit())
                .isZero();
        assertThat(VigilCommandTest.run("watchlist", "ls", "--bootstrap", bootstrap)
                        .out())
                .contains("2 people")
                .doesNotContain("John_Simm");
    }

    static List<Path> photos(String person) throws Exception {
        try (Stream<Path> l = Files.list(JOHNS.resolve(person))) {
            return l.sorted().toList();
        }
    }
}
