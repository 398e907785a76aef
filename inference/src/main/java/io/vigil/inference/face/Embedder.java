package io.vigil.inference.face;

import io.vigil.inference.model.OnnxModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/** 512-d embeddings of aligned 112x112 BGR faces, L2-normalised, batched. */
public final class Embedder {
    private final OnnxModel model;
    private final int maxBatch;

    public Embedder(OnnxModel model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
    }

    /** An L2-normalised embedding and the norm it had before: low norms mark poor or non-faces. */
    public record Embedding(float[] unit, float norm) {}

    public Embedding[] embed(List<Mat> aligned) {
        Embedding[] out = new Embedding[aligned.size()];
        int per = model.sampleSize();
        for (int start = 0; start < aligned.size(); start += maxBatch) {
            int n = Math.min(maxBatch, aligned.size() - start);
            float[] input = new float[n * per];
            for (int k = 0; k < n; k++) {
                input(aligned.get(start + k), input, k * per);
            }
            float[] result = model.run(input, n)[0];
            int dim = result.length / n;
            for (int k = 0; k < n; k++) {
                float[] e = new float[dim];
                System.arraycopy(result, k * dim, e, 0, dim);
                float norm = norm(e);
                out[start + k] = new Embedding(normalise(e), norm);
            }
        }
        return out;
    }

    /** The embedder's input for one aligned 112x112 face: planar BGR, at {@code into[off]}. */
    public static void input(Mat aligned, float[] into, int off) {
        Images.toPlanar(Images.pixels(aligned), Alignment.SIZE * Alignment.SIZE, false, into, off);
    }

    static float norm(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        return (float) Math.sqrt(n);
    }

    /** L2-normalises in place and returns the array. */
    public static float[] normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = n == 0 ? 0 : (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** Cosine similarity of two L2-normalised vectors. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different dimensions: " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
