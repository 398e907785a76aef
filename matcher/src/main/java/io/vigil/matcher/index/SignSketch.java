package io.vigil.matcher.index;

import java.util.SplittableRandom;

/**
 * A 1-bit sketch of a vector: the signs of its coordinates after a fixed random rotation (three rounds of random
 * sign flips and a Walsh-Hadamard transform, the structured rotation of FJLT and FALCONN). Two sketches differ in
 * about {@code bits * angle / pi} places, so the Hamming distance orders rows roughly by cosine similarity at a
 * thirty-second of the bytes; the index re-ranks the closest rows exactly.
 */
final class SignSketch {
    private static final int ROUNDS = 3;
    private final int dim;
    private final int padded;
    private final float[][] flips;

    SignSketch(int dim, long seed) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dim);
        }
        this.dim = dim;
        int p = 64;
        while (p < dim) {
            p <<= 1;
        }
        this.padded = p;
        SplittableRandom random = new SplittableRandom(seed);
        flips = new float[ROUNDS][padded];
        for (float[] f : flips) {
            for (int i = 0; i < padded; i++) {
                f[i] = random.nextBoolean() ? 1f : -1f;
            }
        }
    }

    /** 64-bit words per sketch. */
    int words() {
        return padded / 64;
    }

    /** Writes the sketch of {@code v} into {@code out[off .. off + words())}. */
    void encode(float[] v, long[] out, int off) {
        float[] x = new float[padded];
        System.arraycopy(v, 0, x, 0, dim);
        for (float[] f : flips) {
            for (int i = 0; i < padded; i++) {
                x[i] *= f[i];
            }
            hadamard(x);
        }
        for (int w = 0; w < padded / 64; w++) {
            long bits = 0;
            for (int b = 0; b < 64; b++) {
                if (x[w * 64 + b] > 0) {
                    bits |= 1L << b;
                }
            }
            out[off + w] = bits;
        }
    }

    long[] encode(float[] v) {
        long[] out = new long[words()];
        encode(v, out, 0);
        return out;
    }

    /** In-place fast Walsh-Hadamard transform (unnormalised: only signs are kept). */
    private static void hadamard(float[] a) {
        for (int h = 1; h < a.length; h <<= 1) {
            for (int i = 0; i < a.length; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    float x = a[j];
                    float y = a[j + h];
                    a[j] = x + y;
                    a[j + h] = x - y;
                }
            }
        }
    }
}
