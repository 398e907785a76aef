package io.vigil.ingest.sample;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.addWeighted;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.ShortPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Builds an H.264 clip of a still scene that people walk through, as a fixed camera sees a corridor: a background with
 * a few doors, a little sensor noise in every frame, and face photos that enter at one side, cross and leave at the
 * other, each at its own time, height and speed. Frames are composed with OpenCV and piped raw to Debian's ffmpeg
 * (Annex-B, no B-frames, a key frame every 2 s). For tests and benchmarks of motion gating and tracking.
 */
public final class SceneClip {
    /**
     * One person crossing the scene.
     *
     * @param photo   the face photo (JPEG or PNG bytes)
     * @param start   seconds into the clip when it appears at {@code fromX}
     * @param seconds how long it takes to reach {@code toX}; it is gone after that
     * @param fromX   left edge of the face at the start, as a fraction of the frame width (below 0 = entering)
     * @param toX     left edge at the end
     * @param y       top edge as a fraction of the frame height
     * @param height  face photo height as a fraction of the frame height
     * @param fade    seconds over which it fades in from the background (0 = it is there at once): slower than motion
     *                gating notices, as a person who stands still in failing or rising light
     */
    public record Pass(
            byte[] photo,
            double start,
            double seconds,
            double fromX,
            double toX,
            double y,
            double height,
            double fade) {
        /** A person who walks in, at once visible. */
        public Pass(byte[] photo, double start, double seconds, double fromX, double toX, double y, double height) {
            this(photo, start, seconds, fromX, toX, y, height, 0);
        }

        double opacity(double t) {
            return fade <= 0 ? 1 : Math.min(1, (t - start) / fade);
        }

        boolean visibleAt(double t) {
            return t >= start && t < start + seconds;
        }
    }

    /** Noise frames cycled through, so that the noise is not the same in consecutive frames. */
    private static final int NOISE_FRAMES = 7;

    private SceneClip() {}

    /** Seconds of the clip in which at least one face is in view. */
    public static double facePresence(List<Pass> passes, double seconds, int fps) {
        int frames = (int) Math.round(seconds * fps);
        int with = 0;
        for (int i = 0; i < frames; i++) {
            double t = (double) i / fps;
            if (passes.stream().anyMatch(p -> p.visibleAt(t))) {
                with++;
            }
        }
        return (double) with / fps;
    }

    public static Path build(List<Pass> passes, double seconds, int width, int height, int fps, Path out) {
        List<Mat> faces = new ArrayList<>();
        List<Mat> noise = new ArrayList<>();
        try (Mat background = background(width, height)) {
            for (Pass p : passes) {
                faces.add(scaled(p.photo(), (int) Math.round(p.height() * height)));
            }
            Random random = new Random(7);
            for (int i = 0; i < NOISE_FRAMES; i++) {
                short[] values = new short[width * height * 3];
                for (int k = 0; k < values.length; k++) {
                    values[k] = (short) Math.round(random.nextGaussian() * 2);
                }
                Mat n = new Mat(height, width, CV_16SC3);
                new ShortPointer(n.data()).put(values);
                noise.add(n);
            }
            List<String> cmd = new ArrayList<>(List.of(
                    "ffmpeg",
                    "-y",
                    "-loglevel",
                    "error",
                    "-f",
                    "rawvideo",
                    "-pix_fmt",
                    "bgr24",
                    "-s",
                    width + "x" + height,
                    "-framerate",
                    String.valueOf(fps),
                    "-i",
                    "-",
                    "-preset",
                    "veryfast"));
            cmd.addAll(SampleClip.h264Output(2 * fps, out));
            Process ffmpeg = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            out.resolveSibling(out.getFileName() + ".log").toFile())
                    .start();
            byte[] raw = new byte[width * height * 3];
            try (OutputStream in = ffmpeg.getOutputStream();
                    Mat frame = new Mat();
                    Mat wide = new Mat()) {
                int frames = (int) Math.round(seconds * fps);
                for (int i = 0; i < frames; i++) {
                    double t = (double) i / fps;
                    background.copyTo(frame);
                    for (int k = 0; k < passes.size(); k++) {
                        Pass p = passes.get(k);
                        if (p.visibleAt(t)) {
                            double x = p.fromX() + (p.toX() - p.fromX()) * (t - p.start()) / p.seconds();
                            paste(
                                    faces.get(k),
                                    frame,
                                    (int) Math.round(x * width),
                                    (int) Math.round(p.y() * height),
                                    p.opacity(t));
                        }
                    }
                    frame.convertTo(wide, CV_16SC3);
                    add(wide, noise.get(i % NOISE_FRAMES), wide);
                    wide.convertTo(frame, CV_8UC3);
                    frame.data().get(raw);
                    in.write(raw);
                }
            }
            Path log = out.resolveSibling(out.getFileName() + ".log");
            if (!ffmpeg.waitFor(300, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed to encode the scene clip; see " + log);
            }
            Files.deleteIfExists(log);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot build the scene clip (is Debian's ffmpeg installed? run scripts/setup-debian.sh): "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding the scene clip", e);
        } finally {
            faces.forEach(Mat::close);
            noise.forEach(Mat::close);
        }
    }

    /** A corridor: a grey gradient floor and wall, and three doors. */
    private static Mat background(int width, int height) {
        Mat bg = new Mat(height, width, CV_8UC3, new Scalar(0, 0, 0, 0));
        for (int y = 0; y < height; y += 4) {
            int v = 70 + 80 * y / height;
            rectangle(bg, new Point(0, y), new Point(width - 1, y + 3), new Scalar(v, v + 5, v + 10, 0), FILLED, 8, 0);
        }
        for (int d = 0; d < 3; d++) {
            int x = width / 8 + d * width * 3 / 10;
            rectangle(
                    bg,
                    new Point(x, height / 6),
                    new Point(x + width / 10, height * 5 / 6),
                    new Scalar(40 + 30 * d, 60, 90, 0),
                    FILLED,
                    8,
                    0);
        }
        return bg;
    }

    private static Mat scaled(byte[] photo, int h) {
        try (BytePointer bp = new BytePointer(photo);
                Mat buf = new Mat(1, photo.length, CV_8UC1, bp);
                Mat img = imdecode(buf, IMREAD_COLOR)) {
            if (img.empty()) {
                throw new IllegalArgumentException("a scene photo does not decode as an image");
            }
            Mat out = new Mat();
            resize(img, out, new Size(Math.max(1, img.cols() * h / img.rows()), h));
            return out;
        }
    }

    /** Blends the face onto the frame at (x, y) with the opacity, clipped at the frame's edges. */
    private static void paste(Mat face, Mat frame, int x, int y, double opacity) {
        int x1 = Math.max(0, x);
        int y1 = Math.max(0, y);
        int x2 = Math.min(frame.cols(), x + face.cols());
        int y2 = Math.min(frame.rows(), y + face.rows());
        if (x2 <= x1 || y2 <= y1) {
            return;
        }
        try (Mat src = new Mat(face, new Rect(x1 - x, y1 - y, x2 - x1, y2 - y1));
                Mat dst = new Mat(frame, new Rect(x1, y1, x2 - x1, y2 - y1))) {
            if (opacity >= 1) {
                src.copyTo(dst);
            } else {
                addWeighted(src, opacity, dst, 1 - opacity, 0, dst);
            }
        }
    }
}
