package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.app.pipeline.TopicWriter;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.matcher.MatcherStage;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Erasure you can prove: after {@code watchlist rm} and the configured erasure lag, the removed person's embedding is
 * in no segment file of the watchlist topic on the broker's disk, and in no file of the matcher's state; and their
 * kept enrolment photo in no segment file of the enrolment photos topic.
 */
class ErasureIT {

    @Test
    void aRemovedPersonsEmbeddingLeavesTheBrokersDiskAndTheMatchersStateWithinTheErasureLag() throws Exception {
        Path home = Files.createDirectories(
                Path.of("target", "erasure-" + UUID.randomUUID()).toAbsolutePath());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"))) {
            Settings settings = Settings.load(new ConfigReader(Map.of(
                    "VIGIL_HOME",
                    home.toString(),
                    "VIGIL_HTTP_PORT",
                    "0",
                    "VIGIL_KAFKA_BOOTSTRAP",
                    kafka.bootstrapServers(),
                    "VIGIL_WATCHLIST_ERASURE_LAG",
                    "5s")));
            float[] embedding = unit(512, new Random(11));
            WatchlistEntry person =
                    new WatchlistEntry("p-erased", "To Be Erased", List.of(embedding), null, Map.of(), 1);
            // what the embedding looks like on disk: the JSON text of its first values
            String json = new String(
                    settings.topics().watchlist.valueSerde().serializer().serialize("", person),
                    StandardCharsets.UTF_8);
            String trace = json.substring(json.indexOf("[[") + 2, json.indexOf("[[") + 40);
            byte[] jpeg = new byte[300];
            new Random(12).nextBytes(jpeg);
            jpeg[0] = (byte) 0xff;
            jpeg[1] = (byte) 0xd8;
            EnrolmentPhotos photos = new EnrolmentPhotos("p-erased", List.of(jpeg), 1);
            String photosJson = new String(
                    settings.topics().enrolmentPhotos.valueSerde().serializer().serialize("", photos),
                    StandardCharsets.UTF_8);
            String photoTrace = photosJson.substring(photosJson.indexOf("[\"") + 40, photosJson.indexOf("[\"") + 80);
            Path topicDirs = kafka.dataDir().resolve("log");
            try (Pipeline matcher = Pipeline.start(settings, StageKind.MATCHER, false)) {
                MatcherStage stage = (MatcherStage) matcher.stages().get(0);
                TopicWriter.write(settings, settings.topics().enrolmentPhotos, "p-erased", photos);
                TopicWriter.write(settings, settings.topics().watchlist, "p-erased", person);
                await().atMost(Duration.ofSeconds(30)).until(() -> stage.watchlistSize() == 1);
                assertThat(filesContaining(topicDirs, trace)).isNotEmpty(); // it was on disk
                assertThat(filesContaining(topicDirs, photoTrace)).isNotEmpty();
                try (org.apache.kafka.clients.admin.Admin admin =
                        io.vigil.runtime.kafka.KafkaClients.admin(settings.common())) {
                    var r = new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC,
                            settings.topics().watchlist.name());
                    var c = admin.describeConfigs(List.of(r)).all().get().get(r);
                    System.out.println("watchlist topic: max.compaction.lag.ms="
                            + c.get("max.compaction.lag.ms").value() + " segment.ms="
                            + c.get("segment.ms").value()
                            + " file.delete.delay.ms="
                            + c.get("file.delete.delay.ms").value());
                }
                long removedAt = System.currentTimeMillis();
                TopicWriter.write(settings, settings.topics().watchlist, "p-erased", null);
                TopicWriter.write(settings, settings.topics().enrolmentPhotos, "p-erased", null); // as watchlist rm
                await().atMost(Duration.ofSeconds(30)).until(() -> stage.watchlistSize() == 0);
                // nobody else writes: the matcher's erasure tick is what lets the quiet partition be compacted
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> filesContaining(topicDirs, trace).isEmpty()
                                && filesContaining(topicDirs, photoTrace).isEmpty());
                long erasedAfter = System.currentTimeMillis() - removedAt;
                assertThat(filesContaining(settings.matcher().stateDir(), trace))
                        .isEmpty();
                assertThat(filesContaining(home, trace)).isEmpty();
                System.out.printf(
                        "erasure: the removed embedding and photo left the broker's disk %.1f s after watchlist rm"
                                + " (erasure lag 5 s)%n",
                        erasedAfter / 1000.0);
            }
        }
    }

    private static List<Path> filesContaining(Path root, String text) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new java.util.ArrayList<>();
        // the broker renames and deletes files while we look (checkpoints, cleaned segments): skip what vanished
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile() && contains(f, needle)) {
                    found.add(f);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return found;
    }

    private static boolean contains(Path f, byte[] needle) {
        try {
            byte[] hay = Files.readAllBytes(f);
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false; // deleted while walking
        }
    }

    private static float[] unit(int dim, Random r) {
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
}
