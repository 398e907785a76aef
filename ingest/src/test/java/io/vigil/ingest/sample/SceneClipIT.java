package io.vigil.ingest.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A generated walk-through clip is a real H.264 stream of the asked length, with the face where the script put it. */
class SceneClipIT {
    @Test
    void buildsAClipOfTheScriptedLength() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "scene-clip"));
        byte[] face = Files.readAllBytes(Path.of("src/test/resources/john_simm.jpg"));
        List<SceneClip.Pass> passes = List.of(new SceneClip.Pass(face, 1, 2, -0.2, 1.0, 0.3, 0.3));
        Path clip = SceneClip.build(passes, 4, 640, 360, 10, dir.resolve("walk.h264"));
        assertThat(SceneClip.facePresence(passes, 4, 10)).isEqualTo(2.0);
        Process probe = new ProcessBuilder(
                        "ffprobe",
                        "-v",
                        "error",
                        "-count_frames",
                        "-select_streams",
                        "v:0",
                        "-show_entries",
                        "stream=nb_read_frames,width,height",
                        "-of",
                        "csv=p=0",
                        clip.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(probe.getInputStream().readAllBytes()).trim();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("640,360,40");
        // frame 20 (t = 2 s): the face's left edge is at 0.4 of the width
        Path png = dir.resolve("frame20.png");
        Process grab = new ProcessBuilder(
                        "ffmpeg",
                        "-y",
                        "-loglevel",
                        "error",
                        "-i",
                        clip.toString(),
                        "-vf",
                        "select=eq(n\\,20)",
                        "-frames:v",
                        "1",
                        png.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(grab.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(png).exists();
    }
}
