package io.vigil.inference.face;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/** OpenCV image helpers for the face pipeline: JPEG in and out, crops, and model input tensors. */
public final class Images {
    private Images() {}

    /** Decodes JPEG/PNG bytes to a BGR image; throws {@link CorruptImageException} when they are not an image. */
    public static Mat decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new CorruptImageException("empty image");
        }
        try (BytePointer p = new BytePointer(encoded);
                Mat buf = new Mat(1, encoded.length, CV_8UC1, p)) {
            Mat img = imdecode(buf, IMREAD_COLOR);
            if (img == null || img.empty()) {
                throw new CorruptImageException("not a decodable image (" + encoded.length + " bytes)");
            }
            return img;
        }
    }

    public static byte[] encodeJpeg(Mat image, int quality) {
        try (BytePointer out = new BytePointer();
                IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            if (!imencode(".jpg", image, out, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        }
    }

    /** A view of a rectangle of the image, clamped to its bounds (shares pixels; clone to keep). */
    public static Mat crop(Mat image, int x1, int y1, int x2, int y2) {
        int x = Math.max(0, Math.min(x1, image.cols() - 1));
        int y = Math.max(0, Math.min(y1, image.rows() - 1));
        int w = Math.max(1, Math.min(x2, image.cols()) - x);
        int h = Math.max(1, Math.min(y2, image.rows()) - y);
        return new Mat(image, new Rect(x, y, w, h));
    }

    public static Mat resized(Mat image, int width, int height) {
        Mat out = new Mat();
        boolean shrinking = width < image.cols() && height < image.rows();
        resize(image, out, new Size(width, height), 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
        return out;
    }

    /** Raw interleaved bytes of a continuous image. */
    public static byte[] pixels(Mat image) {
        Mat m = image.isContinuous() ? image : image.clone();
        byte[] data = new byte[(int) (m.total() * m.channels())];
        m.data().get(data);
        return data;
    }

    /** Writes a 3-channel BGR image as planar (NCHW) floats (pixel - 127) / 128, in RGB or BGR plane order. */
    public static void toPlanar(byte[] bgr, int pixels, boolean rgb, float[] out, int offset) {
        int r = rgb ? 0 : 2;
        int b = rgb ? 2 : 0;
        for (int i = 0; i < pixels; i++) {
            int p = i * 3;
            out[offset + b * pixels + i] = ((bgr[p] & 0xff) - 127f) / 128f;
            out[offset + pixels + i] = ((bgr[p + 1] & 0xff) - 127f) / 128f;
            out[offset + r * pixels + i] = ((bgr[p + 2] & 0xff) - 127f) / 128f;
        }
    }
}
