package io.vigil.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vigil.app.UserException;
import io.vigil.ingest.camera.Decoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Decode + sample + JPEG-encode throughput of ingest's camera path on H.264 files, against",
            "`ffmpeg -i FILE -f null -` on the same files in the same run (baseline), and how many 25 fps cameras",
            "at 5 fps one core sustains: as ingest decodes by default (one thread per camera, only sampled frames",
            "deblocked), as it decoded before (FFmpeg's threads, every frame deblocked), and key frames only.",
            "Without --file it generates 30 s test clips (1920x1080 and 640x480, 25 fps, moving content) with ffmpeg."
        })
final class IngestBench implements Callable<Integer> {
    private static final Pattern BENCH = Pattern.compile("rtime=([0-9.]+)s");
    private static final Pattern FRAMES = Pattern.compile("frame=\\s*(\\d+)");

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "H.264 file(s) to measure instead of the generated clips")
    List<Path> files = new ArrayList<>();

    @Option(names = "--fps", defaultValue = "5", description = "sampling rate (default ${DEFAULT-VALUE})")
    double fps;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description = "measured runs per figure (default ${DEFAULT-VALUE})")
    int repeats;

    /** One run of ingest's path on a file: decoded frames per second, and CPU seconds per second of video. */
    private record Run(double fps, double cpuPerVideoSecond) {}

    /** How ingest decoded before it had a choice: FFmpeg's own thread count, every frame deblocked. */
    private static final Decoding BEFORE = new Decoding(0, true);

    private Run run(Path f, boolean keyframesOnly, Decoding decoding) {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            long cpu0 = os.getProcessCpuTime();
            DecodeBench.Result r = DecodeBench.run(f, fps, keyframesOnly, 80, decoding);
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            return new Run(r.decodedFps(), cpu / r.videoSeconds());
        } catch (Exception e) {
            throw new UserException("cannot decode " + f + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (files.isEmpty()) {
            Path dir = Files.createTempDirectory("vigil-bench");
            files = List.of(clip(dir, 1920, 1080), clip(dir, 640, 480));
        }
        System.out.printf(
                "%-22s %22s %22s %8s %22s %22s%n",
                "file", "vigil fps", "ffmpeg fps", "ratio", "CPU s / video s", "cameras / core");
        for (Path f : files) {
            run(f, false, Decoding.DEFAULT); // warm-up: JIT, native libraries, page cache
            List<Run> full = new ArrayList<>();
            List<Run> before = new ArrayList<>();
            List<Run> key = new ArrayList<>();
            double[] ffmpeg = new double[repeats];
            for (int i = 0; i < repeats; i++) { // interleaved, so that drift on the machine hits all alike
                full.add(run(f, false, Decoding.DEFAULT));
                before.add(run(f, false, BEFORE));
                ffmpeg[i] = ffmpegFps(f);
                key.add(run(f, true, Decoding.DEFAULT));
            }
            Spread vigil = Spread.of(full.stream().mapToDouble(Run::fps).toArray());
            Spread base = Spread.of(ffmpeg);
            Spread cpu =
                    Spread.of(full.stream().mapToDouble(Run::cpuPerVideoSecond).toArray());
            Spread keyCpu =
                    Spread.of(key.stream().mapToDouble(Run::cpuPerVideoSecond).toArray());
            Spread beforeCpu = Spread.of(
                    before.stream().mapToDouble(Run::cpuPerVideoSecond).toArray());
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %22s %22s %7.2fx %22s %22s%n",
                    f.getFileName(),
                    vigil.show("%.1f"),
                    base.show("%.1f"),
                    vigil.ratioTo(base),
                    cpu.show("%.3f"),
                    cpu.inverse().show("%.1f"));
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %22s %22s %7.2fx %22s %22s%n",
                    "  decoded as before",
                    "",
                    "",
                    beforeCpu.ratioTo(cpu),
                    beforeCpu.show("%.3f"),
                    beforeCpu.inverse().show("%.1f"));
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %22s %22s %8s %22s %22s%n",
                    "  key frames only",
                    "",
                    "",
                    "",
                    keyCpu.show("%.3f"),
                    keyCpu.inverse().show("%.1f"));
        }
        System.out.printf(
                "%nmedian [range] of %d runs each after a warm-up run; ratio = median against median (decoded as"
                        + " before: its CPU against today's); cameras / core = seconds of 25 fps video decoded,"
                        + " sampled to %.0f fps and encoded per CPU second.%n",
                repeats, fps);
        return 0;
    }

    private static Path clip(Path dir, int w, int h) throws IOException, InterruptedException {
        Path out = dir.resolve(w + "x" + h + ".h264");
        run(List.of(
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=" + w + "x" + h + ":rate=25",
                "-t",
                "30",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-bf",
                "0",
                "-g",
                "50",
                "-pix_fmt",
                "yuv420p",
                out.toString()));
        return out;
    }

    private static double ffmpegFps(Path f) throws IOException, InterruptedException {
        String out = run(List.of("ffmpeg", "-hide_banner", "-benchmark", "-i", f.toString(), "-f", "null", "-"));
        Matcher t = BENCH.matcher(out);
        Matcher n = FRAMES.matcher(out);
        long frames = 0;
        while (n.find()) {
            frames = Long.parseLong(n.group(1));
        }
        if (!t.find() || frames == 0) {
            throw new UserException("could not read ffmpeg's benchmark output: " + out);
        }
        return frames / Double.parseDouble(t.group(1));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new UserException(String.join(" ", cmd) + " failed (is Debian's ffmpeg installed?): " + out);
        }
        return out;
    }
}
