package io.vigil.matcher.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.serde.FrameFacesSerde;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.topic.DeadLetters;
import io.vigil.api.topic.VigilTopics;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.MatcherConfig;
import io.vigil.matcher.Vectors;
import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.index.IndexSettings;
import io.vigil.matcher.index.Match;
import io.vigil.matcher.index.VectorIndex;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

class MatcherTopologyTest {
    private static final long T0 = 1_700_000_000_000L;
    private final Random random = new Random(3);
    private final VigilTopics topics = new VigilTopics();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final float[] jane = Vectors.random(512, random);
    private final float[] john = Vectors.random(512, random);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> faces;
    private TestInputTopic<String, WatchlistEntry> watchlist;
    private TestOutputTopic<String, Alert> alerts;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final List<String> watchlistDeadLetters = new CopyOnWriteArrayList<>();
    private final MockProducer<byte[], byte[]> errorsProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @BeforeEach
    void setUp() {
        start(new Watchlist());
    }

    private static MatcherConfig config() {
        return new MatcherConfig(0.40, Duration.ofSeconds(60), "test-matcher", Path.of("target", "tt-state"), 1);
    }

    private void start(Watchlist list) {
        MatcherConfig config = config();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-matcher");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "tt-state").toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrors.class);
        props.put(
                StreamErrors.PUBLISHER,
                new DeadLetterPublisher(errorsProducer, topics.dlq.name(), "matcher", registry));
        WatchlistDeadLetters collect = (where, key, value, reason, detail) -> watchlistDeadLetters.add(reason);
        driver = new TopologyTestDriver(
                MatcherTopology.topology(config, topics, list, metrics(list), collect),
                props,
                Instant.ofEpochMilli(T0 + 250));
        faces = driver.createInputTopic(topics.faces.name(), new StringSerializer(), new ByteArraySerializer());
        watchlist = driver.createInputTopic(
                topics.watchlist.name(), new StringSerializer(), new JsonSerde<>(WatchlistEntry.class).serializer());
        alerts = driver.createOutputTopic(
                topics.alerts.name(),
                new StringDeserializer(),
                topics.alerts.valueSerde().deserializer());
        dlq = driver.createOutputTopic(topics.dlq.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        enrol("p-jane", "Jane Doe", null, jane);
        enrol("p-john", "John Roe", null, john);
    }

    private MatcherMetrics inUse;

    private MatcherMetrics metrics(Watchlist list) {
        if (inUse != null) {
            inUse.close(); // a restarted topology gets fresh meters, as a restarted matcher would
        }
        MatcherMetrics m = new MatcherMetrics(list, config());
        inUse = m;
        m.bindTo(registry);
        return m;
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private void enrol(String id, String name, Double threshold, float[]... embeddings) {
        watchlist.pipeInput(id, new WatchlistEntry(id, name, List.of(embeddings), threshold, Map.of(), T0));
    }

    private void sight(String camera, long seq, long captureTime, float[]... embeddings) {
        List<Face> fs = new ArrayList<>();
        for (float[] e : embeddings) {
            fs.add(new Face(
                    new FaceBox(10, 20, 90, 120), new float[10], 0.99f, e, new byte[] {(byte) 0xff, (byte) 0xd8}));
        }
        faces.pipeInput(
                camera,
                new FrameFacesSerde().encode(new FrameFaces(camera, seq, captureTime, captureTime + 50, 1280, 720, fs)),
                Math.max(0, captureTime));
    }

    private double count(String name, String tagKey, String tagValue) {
        return registry.get(name).tag(tagKey, tagValue).counter().count();
    }

    @Test
    void anEnrolledFaceRaisesOneAlert() {
        sight("gate", 7, T0, Vectors.withSimilarity(jane, 0.8, random));
        List<TestRecord<String, Alert>> out = alerts.readRecordsToList();
        assertThat(out).hasSize(1);
        Alert a = out.get(0).value();
        assertThat(out.get(0).key()).isEqualTo("gate");
        assertThat(a.personId()).isEqualTo("p-jane");
        assertThat(a.displayName()).isEqualTo("Jane Doe");
        assertThat(a.similarity()).isCloseTo(0.8, within(1e-4));
        assertThat(a.threshold()).isEqualTo(0.40);
        assertThat(a.alertId()).isEqualTo(Alert.idFor("gate", "p-jane", 7, T0));
        assertThat(a.capturedAt()).isEqualTo(Instant.ofEpochMilli(T0));
        assertThat(a.latencyMs()).isEqualTo(250);
        assertThat(a.frameSequence()).isEqualTo(7);
        assertThat(a.thumbnail()).containsExactly((byte) 0xff, (byte) 0xd8);
        assertThat(count("vigil.matcher.alerts", "outcome", "emitted")).isEqualTo(1);
    }

    @Test
    void aLargeWatchlistSearchedApproximatelyStillAlertsForTheRightPerson() {
        driver.close();
        start(new Watchlist(new FlatIndex(new IndexSettings(IndexSettings.Mode.AUTO, 1_000, 16))));
        for (int i = 0; i < 1_500; i++) {
            enrol("p-" + i, "Person " + i, null, Vectors.random(512, random));
        }
        sight("gate", 1, T0, Vectors.withSimilarity(john, 0.6, random));
        sight("gate", 2, T0 + 100, Vectors.random(512, random));
        List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::personId).containsExactly("p-john");
        assertThat(out.get(0).similarity()).isCloseTo(0.6, within(1e-4)); // re-ranked exactly
        assertThat(count("vigil.matcher.faces", "outcome", "matched")).isEqualTo(1);
        assertThat(count("vigil.matcher.faces", "outcome", "unmatched")).isEqualTo(1);
    }

    @Test
    void aFaceBelowTheThresholdRaisesNone() {
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.35, random), Vectors.random(512, random));
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(count("vigil.matcher.faces", "outcome", "unmatched")).isEqualTo(2);
    }

    @Test
    void aSecondSightingWithinTheCooldownIsSuppressedAndOneAfterItAlertsAgain() {
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.8, random));
        sight("gate", 2, T0 + 59_000, Vectors.withSimilarity(jane, 0.8, random));
        sight("lobby", 1, T0 + 59_000, Vectors.withSimilarity(jane, 0.8, random));
        sight("gate", 3, T0 + 60_000, Vectors.withSimilarity(jane, 0.8, random));
        List<Alert> out = alerts.readValuesToList();
        assertThat(out)
                .extracting(a -> a.cameraId() + "#" + a.frameSequence())
                .containsExactly("gate#1", "lobby#1", "gate#3");
        assertThat(count("vigil.matcher.alerts", "outcome", "suppressed")).isEqualTo(1);
    }

    @Test
    void aPersonsOwnThresholdWinsOverTheGlobalOne() {
        float[] strict = Vectors.random(512, random);
        float[] lenient = Vectors.random(512, random);
        enrol("p-strict", "Strict", 0.9, strict);
        enrol("p-lenient", "Lenient", 0.32, lenient);
        sight("gate", 1, T0, Vectors.withSimilarity(strict, 0.85, random));
        sight("gate", 2, T0, Vectors.withSimilarity(lenient, 0.36, random));
        List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::personId).containsExactly("p-lenient");
        assertThat(out.get(0).threshold()).isEqualTo(0.32);
    }

    @Test
    void aRemovedPersonRaisesNoMoreAlerts() {
        watchlist.pipeInput("p-jane", (WatchlistEntry) null);
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.9, random));
        assertThat(alerts.isEmpty()).isTrue();
        sight("gate", 2, T0, Vectors.withSimilarity(john, 0.9, random));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-john");
    }

    @Test
    void reEnrolmentReplacesTheEmbeddings() {
        float[] newJane = Vectors.random(512, random);
        enrol("p-jane", "Jane Doe", null, newJane);
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.9, random));
        assertThat(alerts.isEmpty()).isTrue();
        sight("gate", 2, T0, Vectors.withSimilarity(newJane, 0.9, random));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-jane");
    }

    @Test
    void malformedInputGoesToTheDeadLetterTopicAndIsCounted() {
        faces.pipeInput("gate", "not faces".getBytes(StandardCharsets.UTF_8));
        byte[] truncated =
                Arrays.copyOf(new FrameFacesSerde().encode(new FrameFaces("gate", 1, T0, T0, 10, 10, List.of())), 20);
        faces.pipeInput("gate", truncated);
        sight("gate", 2, T0, Vectors.random(128, random));
        sight("gate", 3, T0, Vectors.withSimilarity(jane, 0.9, random));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead)
                .extracting(r ->
                        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("unknown-version", "corrupt-record", "dimension-mismatch");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("gate");
        assertThat(new String(
                        dead.get(0)
                                .headers()
                                .lastHeader(DeadLetters.SOURCE_TOPIC)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(topics.faces.name());
        assertThat(registry.get("vigil.dlq.records")
                        .tag("reason", "dimension-mismatch")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(alerts.readValuesToList()).hasSize(1);
    }

    @Test
    void anInvalidWatchlistRecordIsSkippedCountedAndDeadLettered() {
        driver.createInputTopic(topics.watchlist.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("p-bad", "{\"personId\":\"p-bad\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.get("vigil.matcher.watchlist.invalid").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.matcher.watchlist.size").gauge().value()).isEqualTo(2);
        assertThat(watchlistDeadLetters).containsExactly("invalid-watchlist");
    }

    private static final String OTHER_MODEL = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void aPersonEnrolledWithAnotherEmbedderIsRefusedWithItsReason() {
        float[] mary = Vectors.random(512, random);
        watchlist.pipeInput(
                "p-mary", new WatchlistEntry("p-mary", "Mary", List.of(mary), null, Map.of(), T0, OTHER_MODEL));
        assertThat(watchlistDeadLetters).containsExactly("model-mismatch");
        assertThat(registry.get("vigil.matcher.watchlist.size").gauge().value()).isEqualTo(2);
        sight("gate", 1, T0, Vectors.withSimilarity(mary, 0.9, random));
        assertThat(alerts.isEmpty()).isTrue();

        // the same person enrolled again by the embedder in use (named, or older entries that name none)
        watchlist.pipeInput(
                "p-mary",
                new WatchlistEntry("p-mary", "Mary", List.of(mary), null, Map.of(), T0, EmbedderModel.BUNDLED));
        sight("gate", 2, T0, Vectors.withSimilarity(mary, 0.9, random));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-mary");
    }

    @Test
    void facesOfAnotherEmbedderGoToTheDeadLetterTopic() {
        Face face = new Face(
                new FaceBox(10, 20, 90, 120),
                new float[10],
                0.99f,
                Vectors.withSimilarity(jane, 0.9, random),
                new byte[] {(byte) 0xff, (byte) 0xd8});
        faces.pipeInput(
                "gate",
                new FrameFacesSerde()
                        .encode(new FrameFaces("gate", 1, T0, T0 + 50, 1280, 720, List.of(face), 0, 7, OTHER_MODEL)),
                T0);
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(dlq.readRecordsToList())
                .extracting(r ->
                        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("model-mismatch");

        faces.pipeInput(
                "gate",
                new FrameFacesSerde()
                        .encode(new FrameFaces(
                                "gate", 2, T0, T0 + 50, 1280, 720, List.of(face), 0, 8, EmbedderModel.BUNDLED)),
                T0);
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-jane");
    }

    @Test
    void aPersonEnrolledWithAnotherModelsDimensionIsSkippedAndCounted() {
        enrol("p-other-model", "Other", null, Vectors.random(128, random));
        assertThat(registry.get("vigil.matcher.watchlist.invalid").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.matcher.watchlist.size").gauge().value()).isEqualTo(2);
        assertThat(watchlistDeadLetters).containsExactly("dimension-mismatch");
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.9, random));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-jane");
    }

    @Test
    void hostileWatchlistEntriesAreRefusedAndNeverAlert() {
        TestInputTopic<String, byte[]> raw =
                driver.createInputTopic(topics.watchlist.name(), new StringSerializer(), new ByteArraySerializer());
        float[] loud = jane.clone();
        for (int i = 0; i < loud.length; i++) {
            loud[i] *= 226; // norm 226: would outrank every real person
        }
        raw.pipeInput("p-loud", json("p-loud", loud, null));
        raw.pipeInput("p-everyone", json("p-everyone", Vectors.random(512, random), 0.0001)); // would match every face
        raw.pipeInput("p-alias", json("p-jane", john, null)); // key and id disagree
        assertThat(watchlistDeadLetters).containsExactly("invalid-watchlist", "threshold-below-floor", "key-mismatch");
        assertThat(registry.get("vigil.matcher.watchlist.size").gauge().value()).isEqualTo(2);
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.9, random), Vectors.random(512, random));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-jane");
    }

    @Test
    void anUnusableUpdateRemovesWhatThePersonHad() {
        driver.createInputTopic(topics.watchlist.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput(
                        "p-jane", "{\"personId\":\"p-jane\",\"embeddings\":[[1e30]]}".getBytes(StandardCharsets.UTF_8));
        sight("gate", 1, T0, Vectors.withSimilarity(jane, 0.9, random));
        assertThat(alerts.isEmpty()).isTrue();
        assertThat(registry.get("vigil.matcher.watchlist.size").gauge().value()).isEqualTo(1);
    }

    @Test
    void facesWithImplausibleTimesOrEmbeddingsAreDeadLettered() {
        sight("gate", 1, -5, Vectors.withSimilarity(jane, 0.9, random));
        sight("gate", 2, T0 + 3_600_000, Vectors.withSimilarity(jane, 0.9, random));
        float[] scaled = Vectors.withSimilarity(jane, 0.9, random);
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 3;
        }
        sight("gate", 3, T0, scaled);
        faces.pipeInput(
                "lobby", new FrameFacesSerde().encode(new FrameFaces("gate", 4, T0, T0, 10, 10, List.of())), T0);
        assertThat(dlq.readRecordsToList())
                .extracting(r ->
                        new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("invalid-capture-time", "invalid-capture-time", "invalid-face", "key-mismatch");
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void aRecordThatMakesTheMatcherThrowIsDeadLetteredAndTheNextOneIsMatched() {
        driver.close();
        start(new Watchlist(new ThrowingIndex(new FlatIndex(), jane)));
        sight("gate", 1, T0, jane);
        sight("gate", 2, T0, Vectors.withSimilarity(john, 0.9, random));
        assertThat(errorsProducer.history())
                .singleElement()
                .satisfies(r -> assertThat(new String(
                                r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                        .isEqualTo("processing-failed"));
        assertThat(alerts.readValuesToList()).extracting(Alert::personId).containsExactly("p-john");
    }

    /** An index that fails on one query vector, as a bug would. */
    private record ThrowingIndex(FlatIndex delegate, float[] poison) implements VectorIndex {
        @Override
        public void upsert(String id, float[][] embeddings) {
            delegate.upsert(id, embeddings);
        }

        @Override
        public void remove(String id) {
            delegate.remove(id);
        }

        @Override
        public Match search(float[] query) {
            if (Arrays.equals(query, poison)) {
                throw new IllegalStateException("index corrupted");
            }
            return delegate.search(query);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public int rows() {
            return delegate.rows();
        }

        @Override
        public int size() {
            return delegate.size();
        }
    }

    private static byte[] json(String personId, float[] embedding, Double threshold) {
        StringBuilder b = new StringBuilder("{\"personId\":\"" + personId + "\",\"embeddings\":[[");
        for (int i = 0; i < embedding.length; i++) {
            b.append(i == 0 ? "" : ",").append(embedding[i]);
        }
        b.append("]]")
                .append(threshold == null ? "" : ",\"threshold\":" + threshold)
                .append("}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
