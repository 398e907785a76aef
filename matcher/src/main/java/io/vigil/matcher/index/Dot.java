package io.vigil.matcher.index;

/** The dot product the index scores with. */
final class Dot {
    private Dot() {}

    /** {@code data[off .. off + dim)} · {@code q}, with four accumulators so the multiply-adds pipeline. */
    static float dot(float[] data, int off, float[] q, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += data[off + i] * q[i];
            s1 += data[off + i + 1] * q[i + 1];
            s2 += data[off + i + 2] * q[i + 2];
            s3 += data[off + i + 3] * q[i + 3];
        }
        for (; i < dim; i++) {
            s0 += data[off + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
