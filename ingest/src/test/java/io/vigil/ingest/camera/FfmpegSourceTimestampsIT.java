package io.vigil.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.api.camera.CameraSpec;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A raw H.264 file carries no timestamps: frames still get their place in the video, also when only key frames are
 * decoded (the sampler and every capture time depend on it). Clips made with Debian's ffmpeg.
 */
class FfmpegSourceTimestampsIT {

    @Test
    void keyFramesOfATimestamplessFileKeepTheirTimeInTheVideo(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("clip.h264");
        Process p = new ProcessBuilder(
                        "ffmpeg",
                        "-loglevel",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=320x240:rate=25",
                        "-t",
                        "10",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-bf",
                        "0",
                        "-g",
                        "25",
                        "-pix_fmt",
                        "yuv420p",
                        clip.toString())
                .inheritIO()
                .start();
        assertThat(p.waitFor()).isZero();

        List<Long> all = timestamps(clip, false);
        assertThat(all).hasSize(250);
        assertThat(all.get(249) / 1e6).isCloseTo(9.96, within(0.01));

        List<Long> keys = timestamps(clip, true);
        assertThat(keys).as("one key frame a second").hasSize(10);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(keys.get(i) / 1e6).as("key frame %d", i).isCloseTo(i, within(0.01));
        }
    }

    private static List<Long> timestamps(Path clip, boolean keyframesOnly) throws Exception {
        CameraSpec spec = new CameraSpec("ts", "file://" + clip, 25, 0, keyframesOnly, Map.of());
        List<Long> out = new ArrayList<>();
        try (FfmpegSource.Interrupt interrupt = new FfmpegSource.Interrupt();
                FfmpegSource source = FfmpegSource.open(spec, Duration.ofSeconds(10), Decoding.DEFAULT, interrupt)) {
            while (true) {
                try (PointerScope scope = new PointerScope()) {
                    out.add(source.next(false).timestampMicros());
                } catch (FrameSource.StreamException e) {
                    return out; // end of file
                }
            }
        }
    }
}
