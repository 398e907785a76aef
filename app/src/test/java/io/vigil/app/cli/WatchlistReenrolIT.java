package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.face.EmbedderModel;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.TopicWriter;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.inference.face.Images;
import io.vigil.runtime.config.ConfigReader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Enrolment keeps a small photo of each face, so that after a change of embedder {@code vigil watchlist reenrol}
 * embeds everyone again with the new one; removing a person removes their photos. Real models, a real broker.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WatchlistReenrolIT {
    private static final String OTHER_MODEL = "sha256:" + "3c".repeat(32);

    @Test
    void peopleEnrolledWithAnotherEmbedderAreEmbeddedAgainFromTheirKeptPhotos(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        Settings s = Settings.load(new ConfigReader(
                Map.of("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "VIGIL_TOPIC_PREFIX", "re.")));
        Pipeline.setUpTopics(s, s.topics());
        Path config = dir.resolve("vigil.properties");
        Files.writeString(config, "VIGIL_TOPIC_PREFIX=re.\n");
        String[] cli = {"--bootstrap", kafka.bootstrapServers(), "--config", config.toString()};
        Path grace = dir.resolve("grace.jpg");
        Files.write(grace, DemoAssets.read("watchlist/Grace_Hopper/grace_hopper_crop.jpg"));

        VigilCommandTest.Result add = VigilCommandTest.run(concat(
                new String[] {
                    "watchlist",
                    "add",
                    "--id",
                    "grace",
                    "--name",
                    "Grace Hopper",
                    "--image",
                    grace.toString(),
                    "--threshold",
                    "0.45",
                    "--meta",
                    "team=navy"
                },
                cli));
        assertThat(add.exit()).as(add.err()).isZero();
        WatchlistEntry first = watchlist(s).get("grace");
        assertThat(first.model()).isEqualTo(EmbedderModel.BUNDLED);
        EnrolmentPhotos kept = photos(s).get("grace");
        assertThat(kept.photos()).hasSize(1);
        try (Mat photo = Images.decode(kept.photos().get(0))) {
            assertThat(Math.max(photo.cols(), photo.rows()))
                    .as("a face crop, not the picture")
                    .isLessThanOrEqualTo(400);
        }

        // as if an older embedder had made Grace's entry, and someone was enrolled before photos were kept
        TopicWriter.write(
                s,
                s.topics().watchlist,
                "grace",
                new WatchlistEntry(
                        "grace",
                        "Grace Hopper",
                        List.of(WatchlistFalseAlarmIT.unit(new SplittableRandom(5))),
                        0.45,
                        Map.of("team", "navy"),
                        1,
                        OTHER_MODEL));
        TopicWriter.write(
                s,
                s.topics().watchlist,
                "ada",
                new WatchlistEntry(
                        "ada",
                        "Ada",
                        List.of(WatchlistFalseAlarmIT.unit(new SplittableRandom(6))),
                        null,
                        Map.of(),
                        1,
                        OTHER_MODEL));

        // a "kept photo" that enrolment did not write: larger than any crop it keeps
        byte[] large;
        try (Mat big = new Mat(500, 500, org.bytedeco.opencv.global.opencv_core.CV_8UC3)) {
            large = Images.encodeJpeg(big, 80);
        }
        TopicWriter.write(s, s.topics().enrolmentPhotos, "bob", new EnrolmentPhotos("bob", List.of(large), 1));
        TopicWriter.write(
                s,
                s.topics().watchlist,
                "bob",
                new WatchlistEntry(
                        "bob",
                        "Bob",
                        List.of(WatchlistFalseAlarmIT.unit(new SplittableRandom(7))),
                        null,
                        Map.of(),
                        1,
                        OTHER_MODEL));

        VigilCommandTest.Result reenrol = VigilCommandTest.run(concat(new String[] {"watchlist", "reenrol"}, cli));
        assertThat(reenrol.exit()).as("Ada and Bob could not be re-enrolled").isEqualTo(1);
        assertThat(reenrol.out())
                .contains("re-enrolled grace from 1 photo(s)")
                .contains("re-enrolled 1 of 3 people with " + EmbedderModel.BUNDLED)
                .contains("ada: no enrolment photos kept")
                .contains("bob photo 1 claims 500x500 pixels");

        WatchlistEntry again = watchlist(s).get("grace");
        assertThat(again.model()).isEqualTo(EmbedderModel.BUNDLED);
        assertThat(again.displayName()).isEqualTo("Grace Hopper");
        assertThat(again.threshold()).isEqualTo(0.45);
        assertThat(again.metadata()).isEqualTo(Map.of("team", "navy"));
        assertThat(cosine(again.embeddings().get(0), first.embeddings().get(0)))
                .as("the kept crop embeds as the original photo did")
                .isGreaterThan(0.9);

        VigilCommandTest.Result rm =
                VigilCommandTest.run(concat(new String[] {"watchlist", "rm", "--id", "grace"}, cli));
        assertThat(rm.exit()).isZero();
        assertThat(watchlist(s)).doesNotContainKey("grace");
        assertThat(photos(s)).as("removing a person removes their photos").doesNotContainKey("grace");
    }

    private static Map<String, WatchlistEntry> watchlist(Settings s) {
        return KafkaOptions.latest(s, s.topics().watchlist, null, "entry");
    }

    private static Map<String, EnrolmentPhotos> photos(Settings s) {
        return KafkaOptions.latest(s, s.topics().enrolmentPhotos, null, "photos of");
    }

    private static double cosine(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
