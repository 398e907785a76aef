package io.vigil.app.demo;

import io.vigil.ingest.sample.SampleClip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The demo's bundled photos (see resources/demo/README.md), unpacked under VIGIL_HOME/demo. */
public final class DemoAssets {
    public static final List<String> SCENE = List.of("1-grace_hopper.jpg", "2-john_simm.jpg", "3-john_salley.jpg");
    public static final List<String> WATCHLIST = List.of(
            "Grace_Hopper/grace_hopper_crop.jpg", "John_Simm/000288_00470387.jpg", "John_Simm/000300_00470148.jpg");

    private DemoAssets() {}

    public static byte[] read(String path) {
        try (InputStream in = DemoAssets.class.getResourceAsStream("/demo/" + path)) {
            if (in == null) {
                throw new IllegalStateException("demo asset " + path + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo watchlist as a folder per person, for `watchlist import`-style enrolment. */
    public static Path watchlist(Path home) throws IOException {
        Path dir = home.resolve("demo").resolve("watchlist");
        for (String f : WATCHLIST) {
            Path dst = dir.resolve(f);
            Files.createDirectories(dst.getParent());
            if (!Files.exists(dst)) {
                Files.write(dst, read("watchlist/" + f));
            }
        }
        return dir;
    }

    /** The sample clip: each scene photo for 4 s, then 2 s of empty scene; built once. */
    public static Path clip(Path home) throws IOException {
        Path clip = home.resolve("demo").resolve("scene-v1.h264");
        if (!Files.exists(clip)) {
            Files.createDirectories(clip.getParent());
            List<SampleClip.Segment> segments = new ArrayList<>();
            for (String s : SCENE) {
                segments.add(new SampleClip.Segment(read("scene/" + s), 4));
                segments.add(new SampleClip.Segment(null, 2));
            }
            Path tmp = clip.resolveSibling("scene-v1.h264.tmp");
            SampleClip.build(segments, 960, 540, 10, tmp);
            Files.move(tmp, clip);
        }
        return clip;
    }
}
