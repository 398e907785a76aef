package io.vigil.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.enrol.Enroller;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.app.pipeline.TopicWriter;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.ingest.sample.SceneClip;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description = {
            "The whole pipeline on this machine (embedded broker, real RTSP cameras at 1280x720 and --source-fps, every stage)",
            "with 1, 2, 4 ... cameras sampled at 5 fps, on two kinds of scene: 'walk' (a still corridor that an enrolled",
            "and an unenrolled person cross, a face in view 15 %% of the time) and 'face' (an enrolled face in every",
            "frame); with the per-camera savings off (the pipeline before them) and on (the defaults: motion gating, face",
            "tracking, one decoder thread per camera deblocking only sampled frames, ONNX Runtime threads that do not",
            "spin), in the same run. Reports capture-to-alert",
            "latency, alert recall and false alerts, frames/s per stage, drops, CPU per camera and cameras per core.",
            "Writes Markdown, JSON and a PNG chart."
        })
final class E2eBench implements Callable<Integer> {
    /** Length of the walk clip: each person crosses once per loop. */
    static final double WALK_LOOP_S = 40;
    /** Seconds each person takes to cross the frame. */
    static final double CROSSING_S = 3;

    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,2,4",
            description = "camera counts (default ${DEFAULT-VALUE})")
    List<Integer> cameras;

    @Option(
            names = "--scenes",
            split = ",",
            defaultValue = "walk,face",
            description = "walk, face or both (default ${DEFAULT-VALUE})")
    List<String> scenes;

    @Option(
            names = "--modes",
            split = ",",
            defaultValue = "off,on",
            description = "the per-camera savings off, on, or both (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description = "measured seconds per step of the face scene (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(
            names = "--walk-seconds",
            defaultValue = "80",
            description =
                    "measured seconds per step of the walk scene, two loops of its clip (default ${DEFAULT-VALUE})")
    int walkSeconds;

    @Option(names = "--fps", defaultValue = "5", description = "frames per second sampled (default ${DEFAULT-VALUE})")
    double fps;

    @Option(
            names = "--source-fps",
            defaultValue = "25",
            description = "frames per second the cameras stream, all of which ingest decodes; analytics"
                    + " substreams are often set to 5 (default ${DEFAULT-VALUE})")
    int sourceFps;

    @Option(
            names = "--out",
            defaultValue = "target/bench-e2e",
            description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--windows",
            defaultValue = "3",
            description = "the measured time is cut into this many windows, and"
                    + " the p99 of each is reported as median [range] (default ${DEFAULT-VALUE})")
    int windows;

    record Step(
            String scene,
            String mode,
            int cameras,
            int alerts,
            double p50,
            double p95,
            double p99,
            double sampledFps,
            double ingestFps,
            double inferenceFps,
            double matcherFps,
            double detectorRunsPerS,
            double embeddedPerS,
            double savedPerS,
            Map<String, Double> drops,
            double cpuPerCamera,
            String p99PerWindow,
            int passesFound,
            int passesMissed,
            int falseAlerts,
            boolean keptUp,
            double motionMs,
            double encodeMs) {
        double camerasPerCore() {
            return 1 / cpuPerCamera;
        }

        String recall() {
            return passesFound + passesMissed == 0
                    ? "-"
                    : String.format(
                            Locale.ROOT,
                            "%.2f (%d/%d)",
                            (double) passesFound / (passesFound + passesMissed),
                            passesFound,
                            passesFound + passesMissed);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (sourceFps < 1 || sourceFps > 60 || fps > sourceFps) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this),
                    "--source-fps must be 1-60 and at least --fps (got " + sourceFps + " and " + fps + ")");
        }
        for (String s : scenes) {
            if (!s.equals("walk") && !s.equals("face")) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--scenes takes walk and/or face, not '" + s + "'");
            }
        }
        for (String m : modes) {
            if (!m.equals("off") && !m.equals("on")) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--modes takes off and/or on, not '" + m + "'");
            }
        }
        Files.createDirectories(out);
        Path home = Files.createTempDirectory(out.toAbsolutePath(), "home");
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Step> steps = new ArrayList<>();
        double idle;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"))) {
            idle = idle(kafka, home, os);
            System.out.printf(Locale.ROOT, "the pipeline with no camera: %.3f cores%n", idle);
            for (String scene : scenes) {
                for (String mode : modes) {
                    for (int n : cameras) {
                        Step s = measure(scene, mode, n, kafka, home, os);
                        steps.add(s);
                        System.out.printf(
                                Locale.ROOT,
                                "%s, savings %s, %d camera(s): %s; CPU per camera %.3f cores (%.1f cameras"
                                        + " per core); recall %s, false alerts %d; p50 %.0f ms, p99 %.0f ms (per window"
                                        + " %s); frames/s sampled %.1f, to inference %.1f, analysed %.1f; detector"
                                        + " runs/s %.1f, embeddings/s %.1f (%.1f saved); drops %s; ingest per frame:"
                                        + " motion %.2f ms, JPEG %.2f ms%n",
                                scene,
                                mode,
                                n,
                                s.keptUp ? "kept up" : "FELL BEHIND",
                                s.cpuPerCamera,
                                s.camerasPerCore(),
                                s.recall(),
                                s.falseAlerts,
                                s.p50,
                                s.p99,
                                s.p99PerWindow,
                                s.sampledFps,
                                s.ingestFps,
                                s.inferenceFps,
                                s.detectorRunsPerS,
                                s.embeddedPerS,
                                s.savedPerS,
                                s.drops,
                                s.motionMs,
                                s.encodeMs);
                    }
                }
            }
        }
        write(steps, idle);
        return 0;
    }

    /** CPU of the whole process (broker, every stage) running with no camera: the cost that does not scale with them. */
    private static double idle(EmbeddedKafka kafka, Path home, OperatingSystemMXBean os) throws Exception {
        Settings settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_HOME",
                home.toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_TOPIC_PREFIX",
                "bench-idle.",
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers())));
        try (Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            Thread.sleep(10_000);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(15_000);
            return (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
        }
    }

    /** The clip a camera streams: the face scene, or one of four phases of the walk (so cameras do not all fire at once). */
    private Path clip(String scene, int camera) {
        try {
            Path dir = Files.createDirectories(out.toAbsolutePath().resolve("clips"));
            if (scene.equals("face")) {
                Path clip = dir.resolve("face-" + sourceFps + ".h264");
                return Files.exists(clip)
                        ? clip
                        : SampleClip.build(
                                List.of(new SampleClip.Segment(DemoAssets.read("scene/1-grace_hopper.jpg"), 10)),
                                1280,
                                720,
                                sourceFps,
                                clip);
            }
            int phase = camera % 4;
            Path clip = dir.resolve("walk-" + phase + "-" + sourceFps + ".h264");
            if (Files.exists(clip)) {
                return clip;
            }
            double shift = phase * WALK_LOOP_S / 4;
            return SceneClip.build(
                    List.of(
                            new SceneClip.Pass(
                                    DemoAssets.read("scene/1-grace_hopper.jpg"),
                                    (4 + shift) % (WALK_LOOP_S - CROSSING_S),
                                    CROSSING_S,
                                    -0.25,
                                    1.0,
                                    0.3,
                                    0.35),
                            new SceneClip.Pass(
                                    DemoAssets.read("scene/3-john_salley.jpg"),
                                    (24 + shift) % (WALK_LOOP_S - CROSSING_S),
                                    CROSSING_S,
                                    1.0,
                                    -0.25,
                                    0.25,
                                    0.35)),
                    WALK_LOOP_S,
                    1280,
                    720,
                    sourceFps,
                    clip);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Step measure(String scene, String mode, int n, EmbeddedKafka kafka, Path home, OperatingSystemMXBean os)
            throws Exception {
        String prefix = "bench-" + scene + "-" + mode + n + ".";
        boolean on = mode.equals("on");
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "VIGIL_HOME",
                home.toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_TOPIC_PREFIX",
                prefix,
                "VIGIL_MATCHER_COOLDOWN",
                "0s",
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers(),
                "VIGIL_INGEST_ALLOW",
                "loopback"));
        // off is the pipeline as it was before the per-camera savings; on is today's defaults
        env.putAll(Map.of(
                "VIGIL_INGEST_MOTION",
                Boolean.toString(on),
                "VIGIL_INFERENCE_MOTION",
                Boolean.toString(on),
                "VIGIL_INFERENCE_TRACKING",
                Boolean.toString(on),
                "VIGIL_INGEST_DECODE_THREADS",
                on ? "1" : "0",
                "VIGIL_INGEST_DEBLOCK",
                on ? "sampled" : "all",
                "VIGIL_INFERENCE_SPIN",
                Boolean.toString(!on)));
        Settings settings = Settings.load(new ConfigReader(env));
        int measured = scene.equals("walk") ? walkSeconds : seconds;
        List<RtspServer> servers = new ArrayList<>();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        try (Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            try (Enroller enroller = new Enroller(settings.inference())) {
                enrol(settings, enroller, home, "grace", "Grace", "watchlist/Grace_Hopper/grace_hopper_crop.jpg");
                // never in either scene: an alert for him is false
                enrol(settings, enroller, home, "simm", "John Simm", "watchlist/John_Simm/000288_00470387.jpg");
            }
            for (int i = 0; i < n; i++) {
                RtspServer s = RtspServer.start(clip(scene, i), "/c" + i, sourceFps);
                servers.add(s);
                TopicWriter.write(
                        settings,
                        settings.topics().cameras,
                        "cam" + i,
                        new CameraSpec("cam" + i, s.url(), fps, 1280, false, Map.of()));
            }
            Map<String, Object> props = KafkaClients.common(settings.common(), "bench-reader");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + prefix);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
            try (KafkaConsumer<String, Alert> reader = new KafkaConsumer<>(
                    props,
                    pipeline.topics().alerts.keySerde().deserializer(),
                    pipeline.topics().alerts.valueSerde().deserializer())) {
                reader.subscribe(List.of(pipeline.topics().alerts.name()));
                long warmEnd = System.currentTimeMillis() + 15_000;
                while (System.currentTimeMillis() < warmEnd) {
                    reader.poll(Duration.ofMillis(200));
                }
                MeterRegistry r = pipeline.registry();
                double sampled0 = sum(r, "vigil.ingest.frames", "published") + sum(r, "vigil.ingest.frames", "gated");
                double in0 = sum(r, "vigil.ingest.frames", "published");
                double inf0 = sum(r, "vigil.inference.frames", "processed");
                double m0 = sum(r, "vigil.matcher.faces", null);
                double runs0 = sum(r, "vigil.inference.detector.runs", null);
                double emb0 = sum(r, "vigil.inference.embeddings", "embedded");
                double saved0 = sum(r, "vigil.inference.embeddings", "saved");
                Map<String, Double> drops0 = drops(r);
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long start = System.currentTimeMillis();
                long end = start + measured * 1000L;
                while (System.currentTimeMillis() < end) {
                    reader.poll(Duration.ofMillis(200)).forEach(rec -> alerts.add(rec.value()));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / secs;
                double sampled =
                        sum(r, "vigil.ingest.frames", "published") + sum(r, "vigil.ingest.frames", "gated") - sampled0;
                double published = sum(r, "vigil.ingest.frames", "published") - in0;
                double analysed = sum(r, "vigil.inference.frames", "processed") - inf0;
                double matched = sum(r, "vigil.matcher.faces", null) - m0;
                double runs = sum(r, "vigil.inference.detector.runs", null) - runs0;
                double embedded = sum(r, "vigil.inference.embeddings", "embedded") - emb0;
                double saved = sum(r, "vigil.inference.embeddings", "saved") - saved0;
                Map<String, Double> drops = drops(r);
                drops.replaceAll((k, v) -> v - drops0.getOrDefault(k, 0.0));
                // alerts captured in the window that were still on their way when it closed
                long drainEnd = System.currentTimeMillis() + 3_000;
                while (System.currentTimeMillis() < drainEnd) {
                    reader.poll(Duration.ofMillis(200)).forEach(rec -> alerts.add(rec.value()));
                }
                List<Alert> inWindow = alerts.stream()
                        .filter(a -> a.capturedAt().toEpochMilli() >= start
                                && a.capturedAt().toEpochMilli() < end)
                        .toList();
                List<List<Long>> perWindow = new ArrayList<>();
                for (int w = 0; w < windows; w++) {
                    perWindow.add(new ArrayList<>());
                }
                for (Alert a : inWindow) {
                    int w = (int) Math.min(
                            windows - 1, (a.capturedAt().toEpochMilli() - start) * windows / (measured * 1000L));
                    perWindow.get(w).add(a.latencyMs());
                }
                double[] windowP99 = perWindow.stream()
                        .filter(l -> !l.isEmpty())
                        .mapToDouble(l -> Percentile.of(
                                l.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99))
                        .toArray();
                long[] lat =
                        inWindow.stream().mapToLong(Alert::latencyMs).sorted().toArray();
                Visits visits = new Visits(0, 0, 0);
                int falseAlerts = (int) inWindow.stream()
                        .filter(a -> !a.personId().equals("grace"))
                        .count();
                if (scene.equals("walk")) {
                    for (int i = 0; i < n; i++) {
                        String cam = "cam" + i;
                        visits = visits.plus(Visits.of(
                                inWindow.stream()
                                        .filter(a -> a.cameraId().equals(cam)
                                                && a.personId().equals("grace"))
                                        .map(a -> a.capturedAt().toEpochMilli())
                                        .toList(),
                                start,
                                end,
                                (long) (WALK_LOOP_S * 1000)));
                    }
                    falseAlerts += visits.extra();
                }
                double p99 = Percentile.of(lat, 0.99);
                boolean keptUp =
                        drops.values().stream().mapToDouble(Double::doubleValue).sum() == 0
                                && analysed >= 0.9 * published
                                && !(p99 > 500);
                return new Step(
                        scene,
                        mode,
                        n,
                        lat.length,
                        Percentile.of(lat, 0.5),
                        Percentile.of(lat, 0.95),
                        p99,
                        sampled / secs,
                        published / secs,
                        analysed / secs,
                        matched / secs,
                        runs / secs,
                        embedded / secs,
                        saved / secs,
                        drops,
                        cpu / n,
                        windowP99.length == 0 ? "-" : Spread.of(windowP99).show("%.0f"),
                        visits.found(),
                        visits.missed(),
                        falseAlerts,
                        keptUp,
                        meanMs(r, "vigil.ingest.motion"),
                        meanMs(r, "vigil.ingest.encode"));
            }
        } finally {
            servers.forEach(RtspServer::close);
        }
    }

    private static void enrol(Settings settings, Enroller enroller, Path home, String id, String name, String asset)
            throws Exception {
        Path photo = home.resolve(id + ".jpg");
        Files.write(photo, DemoAssets.read(asset));
        TopicWriter.write(
                settings,
                settings.topics().watchlist,
                id,
                new WatchlistEntry(
                        id,
                        name,
                        List.of(enroller.embed(photo, true)),
                        null,
                        Map.of(),
                        System.currentTimeMillis(),
                        enroller.model()));
    }

    /** Mean time per event of a timer over every camera, in ms; NaN when it never ran. */
    private static double meanMs(MeterRegistry r, String name) {
        double total = 0;
        long count = 0;
        for (var t : r.find(name).timers()) {
            total += t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            count += t.count();
        }
        return count == 0 ? Double.NaN : total / count;
    }

    private static double sum(MeterRegistry r, String name, String outcome) {
        return r.find(name).counters().stream()
                .filter(c -> outcome == null || outcome.equals(c.getId().getTag("outcome")))
                .mapToDouble(Counter::count)
                .sum();
    }

    private static Map<String, Double> drops(MeterRegistry r) {
        Map<String, Double> m = new LinkedHashMap<>();
        r.find("vigil.ingest.frames")
                .tag("outcome", "dropped")
                .counters()
                .forEach(c -> m.merge(c.getId().getTag("reason"), c.count(), Double::sum));
        return m;
    }

    private void write(List<Step> steps, double idle) throws Exception {
        StringBuilder md = new StringBuilder(String.format(
                Locale.ROOT,
                "Cameras stream 1280x720 at %d fps, sampled to %.0f fps. The whole pipeline (embedded broker, every stage)"
                        + " with no camera used %.3f cores; the marginal CPU per camera below is (CPU - that) /"
                        + " cameras.%n",
                sourceFps,
                fps,
                idle));
        for (String scene : scenes) {
            List<Step> of = steps.stream().filter(s -> s.scene.equals(scene)).toList();
            md.append("\n**").append(scene).append("** scene\n\n");
            md.append("| savings | cameras | kept up | CPU per camera (cores) | cameras per core | marginal CPU per"
                    + " camera | alert recall |"
                    + " false alerts | alerts | p50 ms | p99 ms | p99 per window | frames/s sampled | to inference"
                    + " | analysed | detector runs/s | embeddings/s (saved/s) | drops |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Step s : of) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %s | %.3f | %.1f | %.3f | %s | %d | %d | %.0f | %.0f | %s | %.1f | %.1f | %.1f | %.1f |"
                                + " %.1f (%.1f) | %s |%n",
                        s.mode,
                        s.cameras,
                        s.keptUp ? "yes" : "no",
                        s.cpuPerCamera,
                        s.camerasPerCore(),
                        Math.max(0, s.cpuPerCamera - idle / s.cameras),
                        s.recall(),
                        s.falseAlerts,
                        s.alerts,
                        s.p50,
                        s.p99,
                        s.p99PerWindow,
                        s.sampledFps,
                        s.ingestFps,
                        s.inferenceFps,
                        s.detectorRunsPerS,
                        s.embeddedPerS,
                        s.savedPerS,
                        s.drops));
            }
            var off = best(of, "off");
            var onBest = best(of, "on");
            if (off != null && onBest != null) {
                md.append(String.format(
                        Locale.ROOT,
                        "%nCameras per core where the pipeline kept up: off %.1f (at %d camera%s), on %.1f (at %d"
                                + " camera%s): **%.1fx**. Most cameras kept up with on this machine: off %d, on %d.%n",
                        off.camerasPerCore(),
                        off.cameras,
                        off.cameras == 1 ? "" : "s",
                        onBest.camerasPerCore(),
                        onBest.cameras,
                        onBest.cameras == 1 ? "" : "s",
                        onBest.camerasPerCore() / off.camerasPerCore(),
                        most(of, "off"),
                        most(of, "on")));
            }
        }
        Files.writeString(out.resolve("e2e.md"), md);
        Files.writeString(
                out.resolve("e2e.json"),
                JsonSerde.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(steps));
        chart(steps, out.resolve("e2e-latency.png"));
        System.out.println();
        System.out.print(md);
        System.out.println("written: " + out.resolve("e2e.md") + ", e2e.json, e2e-latency.png");
    }

    /** The step with the most cameras per core among those that kept up, or null. */
    /** The largest camera count a mode kept up with. */
    private static int most(List<Step> steps, String mode) {
        return steps.stream()
                .filter(s -> s.mode.equals(mode) && s.keptUp)
                .mapToInt(s -> s.cameras)
                .max()
                .orElse(0);
    }

    private static Step best(List<Step> steps, String mode) {
        return steps.stream()
                .filter(s -> s.mode.equals(mode) && s.keptUp)
                .max(java.util.Comparator.comparingDouble(Step::camerasPerCore))
                .orElse(null);
    }

    /** Latency percentiles against camera count, drawn with Java2D (not a hot path). */
    private static void chart(List<Step> steps, Path png) throws Exception {
        int w = 720;
        int h = 420;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int left = 70;
        int bottom = h - 50;
        int top = 40;
        int right = w - 30;
        double max = steps.stream()
                                .mapToDouble(s -> Double.isNaN(s.p99) ? 0 : s.p99)
                                .max()
                                .orElse(1)
                        * 1.15
                + 1;
        g.setColor(Color.DARK_GRAY);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        g.drawString("capture-to-alert latency (ms) by scene, savings off/on and camera count", left, 22);
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.0f", max * i / 4), 10, y + 4);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.DARK_GRAY);
        }
        Color[] colors = {new Color(40, 120, 200), new Color(230, 150, 30), new Color(200, 50, 50)};
        String[] names = {"p50", "p95", "p99"};
        for (int k = 0; k < 3; k++) {
            g.setColor(colors[k]);
            g.setStroke(new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                double v = k == 0 ? s.p50 : k == 1 ? s.p95 : s.p99;
                int x = left + (steps.size() == 1 ? (right - left) / 2 : (right - left) * i / (steps.size() - 1));
                int y = bottom - (int) ((bottom - top) * (Double.isNaN(v) ? 0 : v) / max);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
                if (k == 0) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(s.scene + " " + s.mode + " " + s.cameras, Math.min(x - 25, right - 70), bottom + 20);
                    g.setColor(colors[k]);
                }
            }
            g.drawString(names[k], right - 60, top + 15 + 16 * k);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
