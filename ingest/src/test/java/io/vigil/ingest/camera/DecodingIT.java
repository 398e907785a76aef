package io.vigil.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.camera.CameraSpec;
import io.vigil.ingest.sample.SceneClip;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cheap decoding (one thread, deblocking only the sampled frames) gives the sampled frames as FFmpeg's full
 * decoding does, to within what no one could see, on a generated walk-through with sensor noise and a real face.
 */
class DecodingIT {
    private static final int EVERY = 5;

    @Test
    void sampledFramesMatchAFullDecode() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "decoding"));
        byte[] face = Files.readAllBytes(Path.of("src/test/resources/john_simm.jpg"));
        Path clip = SceneClip.build(
                List.of(new SceneClip.Pass(face, 0.5, 3, -0.2, 1.0, 0.25, 0.3)),
                5,
                640,
                360,
                25,
                dir.resolve("walk.h264"));

        List<Frame> full = sampled(clip, new Decoding(0, true));
        List<Frame> cheap = sampled(clip, Decoding.DEFAULT);

        assertThat(cheap).hasSameSizeAs(full).hasSize(125 / EVERY);
        for (int i = 0; i < full.size(); i++) {
            assertThat(cheap.get(i).micros()).isEqualTo(full.get(i).micros());
            assertThat(psnr(full.get(i).luma(), cheap.get(i).luma()))
                    .as("PSNR of sampled frame %d against the full decode", i)
                    .isGreaterThan(45);
        }
    }

    private record Frame(long micros, byte[] luma) {}

    /** Every fifth frame's luma plane, the others decoded only as references. */
    private static List<Frame> sampled(Path clip, Decoding decoding) throws Exception {
        CameraSpec spec = new CameraSpec("decoding", "file://" + clip.toAbsolutePath(), 5, 0, false, Map.of());
        List<Frame> out = new ArrayList<>();
        try (FfmpegSource.Interrupt interrupt = new FfmpegSource.Interrupt();
                FfmpegSource source = FfmpegSource.open(spec, Duration.ofSeconds(10), decoding, interrupt)) {
            for (int n = 0; ; n++) {
                try (PointerScope scope = new PointerScope()) {
                    FrameSource.Decoded d = source.next(n % EVERY == 0);
                    if (d.kept()) {
                        Mat grey = source.grey();
                        byte[] luma = new byte[grey.cols() * grey.rows()];
                        for (int y = 0; y < grey.rows(); y++) {
                            grey.ptr(y).get(luma, y * grey.cols(), grey.cols());
                        }
                        out.add(new Frame(d.timestampMicros(), luma));
                    }
                } catch (FrameSource.StreamException e) {
                    return out; // end of file
                }
            }
        }
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        return se == 0 ? 99 : 10 * Math.log10(255.0 * 255 * a.length / se);
    }
}
