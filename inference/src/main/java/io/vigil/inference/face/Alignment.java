package io.vigil.inference.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/** Five-point similarity alignment onto the ArcFace 112x112 reference. */
public final class Alignment {
    public static final int SIZE = 112;
    /** ArcFace reference points: left eye, right eye, nose, mouth left, mouth right. */
    static final double[] REFERENCE = {
        38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041
    };

    private Alignment() {}

    /**
     * Least-squares similarity transform (rotation, uniform scale, translation; no reflection) mapping {@code src}
     * points onto {@code dst}. Returns {a, b, tx, ty} for x' = a x - b y + tx, y' = b x + a y + ty.
     */
    static double[] similarity(float[] src, double[] dst) {
        int n = src.length / 2;
        double sx = 0, sy = 0, dx = 0, dy = 0;
        for (int i = 0; i < n; i++) {
            sx += src[2 * i];
            sy += src[2 * i + 1];
            dx += dst[2 * i];
            dy += dst[2 * i + 1];
        }
        sx /= n;
        sy /= n;
        dx /= n;
        dy /= n;
        double num1 = 0, num2 = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double px = src[2 * i] - sx;
            double py = src[2 * i + 1] - sy;
            double qx = dst[2 * i] - dx;
            double qy = dst[2 * i + 1] - dy;
            num1 += px * qx + py * qy;
            num2 += px * qy - py * qx;
            den += px * px + py * py;
        }
        if (den == 0) {
            throw new IllegalArgumentException("degenerate landmarks: all points coincide");
        }
        double a = num1 / den;
        double b = num2 / den;
        return new double[] {a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)};
    }

    /**
     * How far the five points are from a face's geometry: the RMS distance, in pixels of the 112x112 aligned crop,
     * between the transformed points and the reference. Human faces fit within a few pixels; a detector false
     * positive (an animal, a pattern) gives landmarks that do not.
     */
    public static double residual(float[] fivePoints) {
        double[] t = similarity(fivePoints, REFERENCE);
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            double x = fivePoints[2 * i];
            double y = fivePoints[2 * i + 1];
            double ex = t[0] * x - t[1] * y + t[2] - REFERENCE[2 * i];
            double ey = t[1] * x + t[0] * y + t[3] - REFERENCE[2 * i + 1];
            sum += ex * ex + ey * ey;
        }
        return Math.sqrt(sum / 5);
    }

    /** The 112x112 aligned face crop of {@code image} given its five points. */
    public static Mat align(Mat image, float[] fivePoints) {
        double[] t = similarity(fivePoints, REFERENCE);
        try (Mat m = new Mat(2, 3, CV_64F);
                DoubleIndexer idx = m.createIndexer()) {
            idx.put(0, 0, t[0]).put(0, 1, -t[1]).put(0, 2, t[2]);
            idx.put(1, 0, t[1]).put(1, 1, t[0]).put(1, 2, t[3]);
            Mat out = new Mat();
            warpAffine(image, out, m, new Size(SIZE, SIZE), INTER_LINEAR, BORDER_CONSTANT, new Scalar(0.0));
            return out;
        }
    }
}
