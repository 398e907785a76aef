package io.vigil.inference.face;

import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.vigil.api.face.Face;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.util.List;

/** Draws face boxes, scores and the five landmarks onto a copy of an image, for people to check detections. */
public final class Annotator {
    private Annotator() {}

    public static byte[] annotate(Mat image, List<Face> faces) {
        try (Mat out = image.clone()) {
            int thick = Math.max(1, image.cols() / 400);
            Scalar green = new Scalar(0, 220, 0, 0);
            Scalar red = new Scalar(0, 0, 255, 0);
            for (int i = 0; i < faces.size(); i++) {
                Face f = faces.get(i);
                rectangle(
                        out,
                        new Point(Math.round(f.box().x1()), Math.round(f.box().y1())),
                        new Point(Math.round(f.box().x2()), Math.round(f.box().y2())),
                        green,
                        thick,
                        LINE_AA,
                        0);
                for (int p = 0; p < 5; p++) {
                    circle(
                            out,
                            new Point(Math.round(f.landmarks()[2 * p]), Math.round(f.landmarks()[2 * p + 1])),
                            Math.max(1, thick),
                            red,
                            -1,
                            LINE_AA,
                            0);
                }
                putText(
                        out,
                        "#" + i + " " + String.format("%.2f", f.score()),
                        new Point(
                                Math.round(f.box().x1()),
                                Math.max(10, Math.round(f.box().y1()) - 4)),
                        FONT_HERSHEY_SIMPLEX,
                        0.4 * thick,
                        green,
                        thick,
                        LINE_AA,
                        false);
            }
            return Images.encodeJpeg(out, 90);
        }
    }
}
