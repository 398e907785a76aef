package io.vigil.inference.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.watchlist.Similarity;
import io.vigil.inference.model.ModelSource;
import io.vigil.inference.model.SessionSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The real models on real photographs (src/test/resources/faces, provenance in its README). */
class FaceAccuracyIT {
    private static final Map<String, AtomicInteger> REJECTED = new ConcurrentHashMap<>();
    private static FaceAnalyzer analyzer;
    private static List<String> names;
    private static List<float[]> embeddings;

    @BeforeAll
    static void embedJohns() {
        analyzer = new FaceAnalyzer(
                ModelSource.DETECTOR,
                ModelSource.LANDMARKS,
                ModelSource.EMBEDDER,
                SessionSettings.CPU_DEFAULT,
                Tiling.AUTO,
                0.6f,
                32,
                AnalyzerSettings.DEFAULT,
                new FaceAnalyzer.Listener() {
                    @Override
                    public void rejected(String reason) {
                        REJECTED.computeIfAbsent(reason, r -> new AtomicInteger())
                                .incrementAndGet();
                    }
                });
        names = new ArrayList<>();
        embeddings = new ArrayList<>();
        FaceFixtures.people().forEach((person, photos) -> {
            for (String photo : photos) {
                List<Face> faces = analyzer.analyze(List.of(Images.decode(FaceFixtures.bytes(photo))))
                        .get(0);
                assertThat(faces).as(photo).hasSize(1);
                names.add(person);
                embeddings.add(faces.get(0).embedding());
            }
        });
    }

    @AfterAll
    static void close() {
        analyzer.close();
    }

    @Test
    void identifiesEveryJohnsDevPhotoLeaveOneOut() {
        int correct = 0;
        for (int probe = 0; probe < embeddings.size(); probe++) {
            int best = -1;
            double bestSim = -2;
            for (int g = 0; g < embeddings.size(); g++) {
                double s = g == probe ? -2 : cosine(embeddings.get(probe), embeddings.get(g));
                if (s > bestSim) {
                    bestSim = s;
                    best = g;
                }
            }
            if (names.get(best).equals(names.get(probe))) {
                correct++;
            }
        }
        System.out.printf("leave-one-out rank-1: %d/%d%n", correct, embeddings.size());
        assertThat(embeddings).hasSize(30);
        assertThat(correct).isEqualTo(30);
    }

    @Test
    void separatesSameAndDifferentPeopleAtTheDefaultThreshold() {
        double minSame = 2;
        double maxDiff = -2;
        for (int i = 0; i < embeddings.size(); i++) {
            for (int j = i + 1; j < embeddings.size(); j++) {
                double s = cosine(embeddings.get(i), embeddings.get(j));
                if (names.get(i).equals(names.get(j))) {
                    minSame = Math.min(minSame, s);
                } else {
                    maxDiff = Math.max(maxDiff, s);
                }
            }
        }
        double t = Similarity.DEFAULT_THRESHOLD;
        System.out.printf(
                "threshold %.2f: lowest same-person %.3f (margin %.3f), highest different-person %.3f (margin %.3f)%n",
                t, minSame, minSame - t, maxDiff, t - maxDiff);
        assertThat(minSame).isGreaterThan(t);
        assertThat(maxDiff).isLessThan(t);
    }

    @Test
    void findsAtLeastNinetyPercentOfTheSolvayFacesWithTiling() {
        List<FaceBox> truth = FaceFixtures.solvayTruth();
        List<Face> faces = analyzer.analyze(
                        List.of(Images.decode(FaceFixtures.bytes("misc/1280px-Solvay_conference_1927.png"))))
                .get(0);
        int found = 0;
        for (FaceBox gt : truth) {
            if (faces.stream().anyMatch(f -> f.box().iou(gt) >= 0.5)) {
                found++;
            }
        }
        System.out.printf(
                "Solvay 1927: %d/%d faces at IoU >= 0.5 (%d detections)%n", found, truth.size(), faces.size());
        assertThat(truth).hasSize(30);
        assertThat(found).isGreaterThanOrEqualTo(27);
    }

    @Test
    void tilingFindsFacesThatOneWholeFramePassMisses() {
        try (FaceAnalyzer untiled = new FaceAnalyzer(
                ModelSource.DETECTOR,
                ModelSource.LANDMARKS,
                ModelSource.EMBEDDER,
                SessionSettings.CPU_DEFAULT,
                Tiling.OFF,
                0.6f,
                32,
                AnalyzerSettings.DEFAULT,
                FaceAnalyzer.Listener.NONE)) {
            var solvay = List.of(Images.decode(FaceFixtures.bytes("misc/1280px-Solvay_conference_1927.png")));
            int whole = untiled.analyze(solvay).get(0).size();
            int tiled = analyzer.analyze(solvay).get(0).size();
            System.out.printf("Solvay 1927: %d faces untiled, %d tiled%n", whole, tiled);
            assertThat(tiled).isGreaterThan(whole);
        }
    }

    @Test
    void findsNoFaceOnTheDogsOrTheLandscapeAndCountsWhatItRejected() {
        REJECTED.clear();
        for (String photo : List.of("misc/dogs.jpg", "misc/no-face-landscape.jpg")) {
            assertThat(analyzer.analyze(List.of(Images.decode(FaceFixtures.bytes(photo))))
                            .get(0))
                    .as(photo)
                    .isEmpty();
        }
        System.out.println("rejected on the negatives: " + REJECTED);
        assertThat(REJECTED).containsKey("not-a-face");
    }

    @Test
    void findsGraceHopper() {
        List<Face> faces = analyzer.analyze(List.of(Images.decode(FaceFixtures.bytes("misc/grace_hopper_512x512.jpg"))))
                .get(0);
        assertThat(faces).hasSize(1);
        assertThat(faces.get(0).thumbnail()).startsWith((byte) 0xff, (byte) 0xd8);
        assertThat(Images.decode(faces.get(0).thumbnail()).rows()).isEqualTo(96);
    }

    @Test
    void analysesABatchOfFramesLikeEachFrameAlone() {
        List<String> photos = List.of(
                "misc/grace_hopper_512x512.jpg",
                "johns-dev/John_Simm/000288_00470387.jpg",
                "misc/no-face-landscape.jpg",
                "johns-dev/John_Salley/000179_02159509.jpg");
        var images =
                photos.stream().map(p -> Images.decode(FaceFixtures.bytes(p))).toList();
        List<List<Face>> batched = analyzer.analyze(images);
        for (int i = 0; i < images.size(); i++) {
            List<Face> alone = analyzer.analyze(List.of(images.get(i))).get(0);
            assertThat(batched.get(i)).hasSameSizeAs(alone);
            for (int f = 0; f < alone.size(); f++) {
                assertThat(cosine(
                                batched.get(i).get(f).embedding(), alone.get(f).embedding()))
                        .isGreaterThan(0.9999);
            }
        }
    }

    static double cosine(float[] a, float[] b) {
        return Embedder.cosine(a, b);
    }
}
