package io.vigil.bench;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.vigil.api.camera.CameraSpec;
import io.vigil.ingest.camera.Decoding;
import io.vigil.ingest.camera.FfmpegSource;
import io.vigil.ingest.camera.FrameSource;
import io.vigil.ingest.camera.Sampler;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Ingest's per-camera hot path on a file, as fast as it goes: decode every frame, sample, JPEG-encode the sampled. */
final class DecodeBench {
    /** Frames decoded, frames encoded, wall seconds, CPU seconds of this thread. */
    record Result(long decoded, long encoded, double seconds, double cpuSeconds, long streamMicros) {
        public double decodedFps() {
            return decoded / seconds;
        }

        /** Seconds of video decoded: the stream's own time from its first frame to its last, plus one frame. */
        public double videoSeconds() {
            return streamMicros / 1e6 + 0.04;
        }
    }

    private DecodeBench() {}

    static Result run(Path file, double fps, boolean keyframesOnly, int jpegQuality, Decoding decoding)
            throws FrameSource.StreamException {
        CameraSpec spec = new CameraSpec("bench", "file://" + file.toAbsolutePath(), fps, 0, keyframesOnly, Map.of());
        var bean = ManagementFactory.getThreadMXBean();
        long cpu0 = bean.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long decoded = 0;
        long encoded = 0;
        long firstTs = Long.MIN_VALUE;
        long lastTs = 0;
        Sampler sampler = new Sampler(fps);
        try (FfmpegSource.Interrupt interrupt = new FfmpegSource.Interrupt();
                FfmpegSource source = FfmpegSource.open(spec, Duration.ofSeconds(10), decoding, interrupt)) {
            while (true) {
                try (PointerScope scope = new PointerScope()) {
                    FrameSource.Decoded d;
                    try {
                        d = source.next(sampler.expectNext());
                    } catch (FrameSource.StreamException e) {
                        break; // end of file
                    }
                    sampler.seen(d.timestampMicros());
                    decoded++;
                    firstTs = firstTs == Long.MIN_VALUE ? d.timestampMicros() : firstTs;
                    lastTs = d.timestampMicros();
                    if (d.kept() && sampler.take(d.timestampMicros())) {
                        try (BytePointer buf = new BytePointer();
                                IntPointer p = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality)) {
                            imencode(".jpg", source.bgr(), buf, p);
                        }
                        encoded++;
                    }
                }
            }
        }
        return new Result(
                decoded,
                encoded,
                (System.nanoTime() - t0) / 1e9,
                (bean.getCurrentThreadCpuTime() - cpu0) / 1e9,
                decoded == 0 ? 0 : lastTs - firstTs);
    }
}
