package io.vigil.ingest.sample;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds an H.264 clip (Annex-B, no B-frames, one access unit per frame) in which photos appear one after another,
 * for the test cameras and the demo. Frames are composed with OpenCV; the encoding is done by the ffmpeg command
 * (Debian package ffmpeg, installed by scripts/setup-debian.sh).
 */
public final class SampleClip {
    /** One photo shown for some seconds; null photo = an empty scene. */
    public record Segment(byte[] photo, double seconds) {}

    private SampleClip() {}

    public static Path build(List<Segment> segments, int width, int height, int fps, Path out) {
        try {
            Path frames = Files.createTempDirectory(out.toAbsolutePath().getParent(), "frames");
            int n = 0;
            for (Segment s : segments) {
                try (Mat frame = compose(s.photo(), width, height)) {
                    String first = frames.resolve(String.format("f%06d.png", n)).toString();
                    imwrite(first, frame);
                    int count = (int) Math.round(s.seconds() * fps);
                    for (int i = 1; i < count; i++) {
                        Files.copy(Path.of(first), frames.resolve(String.format("f%06d.png", n + i)));
                    }
                    n += count;
                }
            }
            List<String> cmd = new ArrayList<>(List.of(
                    "ffmpeg",
                    "-y",
                    "-loglevel",
                    "error",
                    "-framerate",
                    String.valueOf(fps),
                    "-i",
                    frames.resolve("f%06d.png").toString()));
            cmd.addAll(h264Output(fps, out));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg failed to encode the sample clip: " + log);
            }
            try (var files = Files.list(frames)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(frames);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot build the sample clip (is Debian's ffmpeg installed? run" + " scripts/setup-debian.sh): "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding the sample clip", e);
        }
    }

    /**
     * ffmpeg's output options for the clips Vigil's test cameras stream: H.264 baseline in Annex-B, no B-frames (one
     * access unit per frame, what the RTSP server and FFmpeg's parser expect), a key frame every {@code gop} frames.
     */
    static List<String> h264Output(int gop, Path out) {
        return List.of(
                "-vf",
                "format=yuv420p",
                "-c:v",
                "libx264",
                "-profile:v",
                "baseline",
                "-bf",
                "0",
                "-g",
                String.valueOf(gop),
                "-f",
                "h264",
                out.toString());
    }

    /** A grey frame with the photo scaled to half the frame height, left of centre. */
    static Mat compose(byte[] photo, int width, int height) {
        Mat canvas = new Mat(height, width, CV_8UC3, new Scalar(90, 90, 90, 0));
        if (photo == null) {
            return canvas;
        }
        try (BytePointer bp = new BytePointer(photo);
                Mat buf = new Mat(1, photo.length, CV_8UC1, bp);
                Mat img = imdecode(buf, IMREAD_COLOR)) {
            int h = height / 2;
            int w = Math.max(1, img.cols() * h / img.rows());
            try (Mat scaled = new Mat()) {
                resize(img, scaled, new Size(w, h));
                int x = Math.max(0, width / 3 - w / 2);
                int y = height / 4;
                try (Mat roi = new Mat(canvas, new Rect(x, y, Math.min(w, width - x), Math.min(h, height - y)))) {
                    new Mat(scaled, new Rect(0, 0, roi.cols(), roi.rows())).copyTo(roi);
                }
            }
        }
        return canvas;
    }
}
