package io.vigil.bench;

import io.vigil.api.watchlist.FalseAlarms;

import java.util.SplittableRandom;

/**
 * Synthetic embeddings that behave like the face model's on the real photos, where uniformly random unit vectors do
 * not: two different people's embeddings have cosine similarity of mean 0 and standard deviation 0.106 (random
 * 512-d vectors: 0.044, so they never come near a threshold), and two photos of one person have a median of 0.852.
 *
 * <p>Directions are drawn from a normal distribution whose variances fall off exponentially (variance {@code
 * exp(-i / tau)} along the i-th axis, {@code tau} solved so that two draws have the measured impostor spread: about
 * 89 effective dimensions of 512), then turned by a fixed random rotation of this class's own. A person is a centre
 * direction; each of their embeddings, and each sighting of them, is the centre plus a drawn direction scaled so two
 * of their photos meet at the measured median. A stranger is a person nobody enrolled.
 */
final class FaceLikeVectors {
    /** Median cosine similarity of two photos of one person, on the real photos (`vigil bench false-alarms`). */
    static final double SAME_PERSON = 0.852;

    private final int dim;
    private final float[] scale;
    private final float[][] flips;
    private final double photoNoise;

    FaceLikeVectors(int dim, long seed) {
        if (Integer.bitCount(dim) != 1) {
            throw new IllegalArgumentException("face-like data needs a power-of-two dimension, not " + dim);
        }
        this.dim = dim;
        double tau = tauFor(dim, FalseAlarms.BUNDLED.sd());
        scale = new float[dim];
        for (int i = 0; i < dim; i++) {
            scale[i] = (float) Math.exp(-i / (2 * tau));
        }
        SplittableRandom r = new SplittableRandom(seed);
        flips = new float[2][dim];
        for (float[] f : flips) {
            for (int i = 0; i < dim; i++) {
                f[i] = r.nextBoolean() ? 1f : -1f;
            }
        }
        photoNoise = Math.sqrt(1 / SAME_PERSON - 1);
    }

    /**
     * The decay constant for which two independent draws have cosine standard deviation {@code sd}: for normal
     * vectors of variances {@code l_i}, the cosine's variance is about {@code sum(l_i^2) / sum(l_i)^2}.
     */
    static double tauFor(int dim, double sd) {
        double lo = 0.5;
        double hi = dim * 10.0;
        for (int k = 0; k < 100; k++) {
            double tau = Math.sqrt(lo * hi);
            double s1 = 0;
            double s2 = 0;
            for (int i = 0; i < dim; i++) {
                double l = Math.exp(-i / tau);
                s1 += l;
                s2 += l * l;
            }
            if (Math.sqrt(s2) / s1 > sd) {
                lo = tau; // too few effective dimensions: spread too wide
            } else {
                hi = tau;
            }
        }
        return Math.sqrt(lo * hi);
    }

    /** A unit direction of face space: a new person's centre, or how one photo of them differs. */
    float[] direction(SplittableRandom r) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (MatcherBench.gaussian(r) * scale[i]);
        }
        for (float[] f : flips) {
            for (int i = 0; i < dim; i++) {
                v[i] *= f[i];
            }
            hadamard(v);
        }
        return normalise(v);
    }

    /** One photo of the person centred on {@code centre}: two of them meet at about {@link #SAME_PERSON}. */
    float[] photo(float[] centre, SplittableRandom r) {
        float[] d = direction(r);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (centre[i] + photoNoise * d[i]);
        }
        return normalise(v);
    }

    /** A sighting at exactly cosine {@code cos} to the unit vector {@code of}, turned along a face-like direction. */
    float[] sighting(float[] of, double cos, SplittableRandom r) {
        return turned(of, direction(r), cos);
    }

    /**
     * The unit vector at exactly cosine {@code cos} to the unit vector {@code of}, in the plane of {@code of} and
     * {@code towards} (a direction not parallel to it; changed in place).
     */
    static float[] turned(float[] of, float[] towards, double cos) {
        int dim = of.length;
        double d = 0;
        for (int i = 0; i < dim; i++) {
            d += towards[i] * of[i];
        }
        for (int i = 0; i < dim; i++) {
            towards[i] -= (float) (d * of[i]);
        }
        normalise(towards);
        double s = Math.sqrt(1 - cos * cos);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (cos * of[i] + s * towards[i]);
        }
        return v;
    }

    private static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** In-place Walsh-Hadamard transform, scaled to keep lengths. */
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
        float s = (float) (1 / Math.sqrt(a.length));
        for (int i = 0; i < a.length; i++) {
            a[i] *= s;
        }
    }
}
