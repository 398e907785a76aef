package io.vigil.matcher.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.matcher.Vectors;
import org.junit.jupiter.api.Test;

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
