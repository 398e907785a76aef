package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.face.EmbedderModel;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.TopicWriter;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code vigil watchlist ls} warns when the watchlist's size and threshold predict too many false alerts, and when
 * people were enrolled with another embedder than the matcher's.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class WatchlistFalseAlarmIT {

    @Test
    void aLargeWatchlistAtALowThresholdIsWarnedAboutAndTheFixIsNamed(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        Settings s = withTopics(kafka, "fa.");
        String bootstrap = kafka.bootstrapServers();
        Path config = dir.resolve("vigil.properties");
        Files.writeString(config, "VIGIL_TOPIC_PREFIX=fa.\n");

        enrol(s, 0, 2, 1);
        VigilCommandTest.Result small =
                VigilCommandTest.run("watchlist", "ls", "--bootstrap", bootstrap, "--config", config.toString());
        assertThat(small.out()).contains("2 people");
        assertThat(small.err())
                .as("2 embeddings at 0.40: about 0.2 per 1,000 strangers")
                .doesNotContain("warning");

        enrol(s, 2, 20, 50); // 20 people with 50 photos each: 1,000 embeddings more
        VigilCommandTest.Result large =
                VigilCommandTest.run("watchlist", "ls", "--bootstrap", bootstrap, "--config", config.toString());
        assertThat(large.out()).contains("22 people");
        assertThat(large.err())
                .contains("warning: 1,002 enrolled embeddings at threshold 0.40 predict about")
                .contains("VIGIL_MATCHER_MAX_FALSE_ALARMS=1.0")
                .contains("VIGIL_MATCHER_THRESHOLD=0.51 keeps it under");

        Files.writeString(config, "VIGIL_TOPIC_PREFIX=fa.\nVIGIL_MATCHER_THRESHOLD=0.51\n");
        assertThat(VigilCommandTest.run("watchlist", "ls", "--bootstrap", bootstrap, "--config", config.toString())
                        .err())
                .as("the threshold it named keeps it under")
                .doesNotContain("warning");
    }

    @Test
    void peopleEnrolledWithAnotherEmbedderAreShownAndWarnedAbout(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        Settings s = withTopics(kafka, "mm.");
        Path config = dir.resolve("vigil.properties");
        Files.writeString(config, "VIGIL_TOPIC_PREFIX=mm.\n");
        String other = "sha256:" + "5e".repeat(32);
        SplittableRandom r = new SplittableRandom(7);
        TopicWriter.write(
                s,
                s.topics().watchlist,
                "p-old",
                new WatchlistEntry("p-old", "Old", List.of(unit(r)), null, Map.of(), 1, other));
        TopicWriter.write(
                s,
                s.topics().watchlist,
                "p-new",
                new WatchlistEntry("p-new", "New", List.of(unit(r)), null, Map.of(), 1, EmbedderModel.BUNDLED));

        VigilCommandTest.Result ls = VigilCommandTest.run(
                "watchlist", "ls", "--bootstrap", kafka.bootstrapServers(), "--config", config.toString());
        assertThat(ls.out()).containsPattern("p-new .* sha256:87aacdfe ").containsPattern("p-old .* sha256:5e5e5e5e ");
        assertThat(ls.err())
                .contains("warning: 1 people were enrolled with another embedder than " + EmbedderModel.BUNDLED)
                .contains("embed them again")
                .contains("vigil watchlist reenrol");
    }

    /** Settings for the broker under {@code prefix}, its topics created. */
    private static Settings withTopics(EmbeddedKafka kafka, String prefix) {
        Settings s = Settings.load(new ConfigReader(
                Map.of("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "VIGIL_TOPIC_PREFIX", prefix)));
        Pipeline.setUpTopics(s, s.topics());
        return s;
    }

    private static void enrol(Settings s, int from, int people, int photos) {
        SplittableRandom r = new SplittableRandom(from);
        for (int p = from; p < from + people; p++) {
            List<float[]> embeddings = new ArrayList<>();
            for (int i = 0; i < photos; i++) {
                embeddings.add(unit(r));
            }
            TopicWriter.write(
                    s,
                    s.topics().watchlist,
                    "p-" + p,
                    new WatchlistEntry(
                            "p-" + p, "Person " + p, embeddings, null, Map.of(), System.currentTimeMillis()));
        }
    }

    /** A random 512-d unit vector. */
    static float[] unit(SplittableRandom r) {
        float[] v = new float[512];
        double n = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
