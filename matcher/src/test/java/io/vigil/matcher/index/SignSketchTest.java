package io.vigil.matcher.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.matcher.Vectors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

class SignSketchTest {
    private final Random r = new Random(5);

    @Test
    void hammingDistanceTracksTheAngleBetweenVectors() {
        SignSketch sketch = new SignSketch(512, 1);
        assertThat(sketch.words()).isEqualTo(8);
        for (double cos : new double[] {0.9, 0.7, 0.4, 0.0}) {
            double mean = 0;
            int pairs = 300;
            for (int i = 0; i < pairs; i++) {
                float[] a = Vectors.random(512, r);
                mean += hamming(sketch.encode(a), sketch.encode(Vectors.withSimilarity(a, cos, r)));
            }
            mean /= pairs;
            assertThat(mean).as("cos %.1f", cos).isCloseTo(512 * Math.acos(cos) / Math.PI, within(4.0));
        }
    }

    /**
     * The query keeps two bits per coordinate (sign, and whether it is large), rows one: among 4,000 random rows,
     * a row at cosine 0.40-0.50 to the query ranks closer by the weighted distance than by Hamming distance, over
     * 192 head bits as the index's first pass reads them; and never worse than Hamming ranks it over all the bits.
     */
    @Test
    void theQuerysLargeCoordinatesRankTheNearRowCloserThanHammingDistanceDoes() {
        SignSketch sketch = new SignSketch(512, 1);
        long[][] rows = new long[4000][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = sketch.encode(Vectors.random(512, r));
        }
        long hammingRanks = 0;
        long weightedRanks = 0;
        int queries = 200;
        for (int q = 0; q < queries; q++) {
            float[] near = Vectors.random(512, r);
            float[] query = Vectors.withSimilarity(near, 0.40 + 0.10 * r.nextDouble(), r);
            long[] code = sketch.query(query, 3, 0.40).code();
            assertThat(Arrays.copyOf(code, 8)).isEqualTo(sketch.encode(query));
            long[] target = sketch.encode(near);
            int hamming = 0;
            int weighted = 0;
            for (long[] row : rows) {
                hamming += distance(row, code, 3, false) < distance(target, code, 3, false) ? 1 : 0;
                weighted += distance(row, code, 3, true) < distance(target, code, 3, true) ? 1 : 0;
            }
            hammingRanks += hamming;
            weightedRanks += weighted;
        }
        double hammingMean = (double) hammingRanks / queries;
        double weightedMean = (double) weightedRanks / queries;
        assertThat(weightedMean)
                .as("mean rank of the near row: weighted %.1f, Hamming %.1f", weightedMean, hammingMean)
                .isLessThan(hammingMean / 2);
    }

    /** A row at the reach's cosine to the query lies within the query's reach nearly always (Phi(2) = 0.977). */
    @Test
    void aRowAtTheReachsCosineLiesWithinTheReach() {
        SignSketch sketch = new SignSketch(512, 1);
        int within = 0;
        int closer = 0;
        int queries = 1000;
        for (int q = 0; q < queries; q++) {
            float[] query = Vectors.random(512, r);
            SignSketch.Query probe = sketch.query(query, 3, 0.40);
            within += distance(sketch.encode(Vectors.withSimilarity(query, 0.40, r)), probe.code(), 3, true)
                            <= probe.headReach()
                    ? 1
                    : 0;
            closer += distance(sketch.encode(Vectors.withSimilarity(query, 0.30, r)), probe.code(), 3, true)
                            <= probe.headReach()
                    ? 1
                    : 0;
        }
        assertThat(within).isBetween(950, 995);
        assertThat(closer).as("rows at 0.30 are further").isLessThan(900);
    }

    /** Over the first {@code words} words: differing bits, thrice where the query's mask is set if weighted. */
    private static int distance(long[] row, long[] code, int words, boolean weighted) {
        int d = 0;
        for (int w = 0; w < words; w++) {
            long x = row[w] ^ code[w];
            d += Long.bitCount(x) + (weighted ? 2 * Long.bitCount(x & code[8 + w]) : 0);
        }
        return d;
    }

    @Test
    void padsDimensionsThatAreNotPowersOfTwo() {
        SignSketch sketch = new SignSketch(100, 1);
        assertThat(sketch.words()).isEqualTo(2);
        float[] a = Vectors.random(100, r);
        assertThat(hamming(sketch.encode(a), sketch.encode(a))).isZero();
        float[] minus = a.clone();
        for (int i = 0; i < minus.length; i++) {
            minus[i] = -minus[i];
        }
        assertThat(hamming(sketch.encode(a), sketch.encode(minus))).isGreaterThan(100);
    }

    private static int hamming(long[] a, long[] b) {
        int d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Long.bitCount(a[i] ^ b[i]);
        }
        return d;
    }
}
