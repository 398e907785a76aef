package io.vigil.inference.face;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.vigil.api.face.FaceBox;
import io.vigil.inference.model.OnnxModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;

/** 68-point landmarks of detected faces, reduced to the five alignment points, batched. */
public final class Landmarker {
    static final int SIZE = 64;
    private static final int[] LEFT_EYE = {37, 38, 40, 41};
    private static final int[] RIGHT_EYE = {43, 44, 46, 47};
    private static final int NOSE = 30;
    private static final int[] MOUTH_LEFT = {48, 60};
    private static final int[] MOUTH_RIGHT = {54, 64};
    private final OnnxModel model;
    private final int maxBatch;

    public Landmarker(OnnxModel model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
    }

    /** A face to find landmarks for: the image it is in and its box. */
    public record Target(Mat image, FaceBox box) {}

    /** Five points (x0,y0..x4,y4 in image pixels) per target. */
    public float[][] fivePoints(List<Target> targets) {
        float[][] out = new float[targets.size()][];
        int per = model.sampleSize();
        for (int start = 0; start < targets.size(); start += maxBatch) {
            int n = Math.min(maxBatch, targets.size() - start);
            float[] input = new float[n * per];
            for (int k = 0; k < n; k++) {
                Target t = targets.get(start + k);
                input(t.image(), t.box(), input, k * per);
            }
            float[] result = model.run(input, n)[0];
            int values = result.length / n;
            for (int k = 0; k < n; k++) {
                out[start + k] = five(
                        result,
                        k * values,
                        targets.get(start + k).box(),
                        targets.get(start + k).image());
            }
        }
        return out;
    }

    /** The landmark model's input for one face: its box, grey, 64x64, scaled to [0, 1), at {@code into[off]}. */
    public static void input(Mat image, FaceBox b, float[] into, int off) {
        try (Mat crop = Images.crop(
                        image, Math.round(b.x1()), Math.round(b.y1()), Math.round(b.x2()), Math.round(b.y2()));
                Mat grey = new Mat()) {
            cvtColor(crop, grey, COLOR_BGR2GRAY);
            try (Mat small = Images.resized(grey, SIZE, SIZE)) {
                byte[] px = Images.pixels(small);
                for (int i = 0; i < px.length; i++) {
                    into[off + i] = (px[i] & 0xff) / 256f;
                }
            }
        }
    }

    private static float[] five(float[] v, int off, FaceBox box, Mat image) {
        // the crop was clamped to the image, so map back through the clamped box
        float x1 = Math.max(0, Math.min(Math.round(box.x1()), image.cols() - 1));
        float y1 = Math.max(0, Math.min(Math.round(box.y1()), image.rows() - 1));
        float w = Math.max(1, Math.min(Math.round(box.x2()), image.cols()) - x1);
        float h = Math.max(1, Math.min(Math.round(box.y2()), image.rows()) - y1);
        float[] p = new float[10];
        mean(v, off, LEFT_EYE, x1, y1, w, h, p, 0);
        mean(v, off, RIGHT_EYE, x1, y1, w, h, p, 2);
        mean(v, off, new int[] {NOSE}, x1, y1, w, h, p, 4);
        mean(v, off, MOUTH_LEFT, x1, y1, w, h, p, 6);
        mean(v, off, MOUTH_RIGHT, x1, y1, w, h, p, 8);
        return p;
    }

    private static void mean(float[] v, int off, int[] idx, float x1, float y1, float w, float h, float[] p, int at) {
        float sx = 0;
        float sy = 0;
        for (int i : idx) {
            sx += v[off + 2 * i];
            sy += v[off + 2 * i + 1];
        }
        p[at] = sx / idx.length * w + x1;
        p[at + 1] = sy / idx.length * h + y1;
    }
}
