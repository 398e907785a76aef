package io.vigil.matcher;

import java.util.Random;

/** Synthetic unit vectors with chosen cosine similarities. */
public final class Vectors {
    private Vectors() {}

    public static float[] random(int dim, Random r) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return normalise(v);
    }

    public static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    /** A unit vector whose cosine with {@code base} (a unit vector) is {@code cos}. */
    public static float[] withSimilarity(float[] base, double cos, Random r) {
        float[] o = random(base.length, r);
        double d = 0;
        for (int i = 0; i < o.length; i++) {
            d += o[i] * base[i];
        }
        for (int i = 0; i < o.length; i++) {
            o[i] -= (float) (d * base[i]);
        }
        normalise(o);
        float[] v = new float[base.length];
        double s = Math.sqrt(1 - cos * cos);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (cos * base[i] + s * o[i]);
        }
        return v;
    }
}
