package io.vigil.bench.jmh;

import java.util.SplittableRandom;

/** Random unit vectors for the micro benchmarks. */
final class Vectors {
    private Vectors() {}

    static float[] unit(int dim, SplittableRandom r) {
        float[] v = new float[dim];
        double s = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
            s += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
