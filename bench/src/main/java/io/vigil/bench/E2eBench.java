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
            "The whole pipeline on this machine (embedded broker, real RTSP cameras, every stage) with 1, 2, 4 ...",
            "cameras at 5 fps showing an enrolled face: capture-to-alert latency p50/p95/p99, frames/s per stage, drops",
            "by reason, CPU per camera, and where frames start to drop. Writes Markdown, JSON and a PNG chart."
        })
final class E2eBench implements Callable<Integer> {
    @Option(
            names = "--cameras",
            split = ",",
            defaultValue = "1,2,4",
            description = "camera counts (default ${DEFAULT-VALUE})")
    List<Integer> cameras;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            description = "measured seconds per step (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--fps", defaultValue = "5")
    double fps;

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
            int cameras,
            int alerts,
            double p50,
            double p95,
            double p99,
            double ingestFps,
            double inferenceFps,
            double matcherFps,
            Map<String, Double> drops,
            double cpuPerCamera,
            String p99PerWindow) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path home = Files.createTempDirectory(out.toAbsolutePath(), "home");
        Path clip = SampleClip.build(
                List.of(new SampleClip.Segment(DemoAssets.read("scene/1-grace_hopper.jpg"), 10)),
                1280,
                720,
                25,
                home.resolve("clip.h264"));
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Step> steps = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"))) {
            for (int n : cameras) {
                steps.add(measure(n, kafka, home, clip, os));
                Step s = steps.get(steps.size() - 1);
                System.out.printf(
                        Locale.ROOT,
                        "%d camera(s): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms (p99 per window %s);"
                                + " frames/s ingest %.1f, inference %.1f; drops %s; CPU per camera %.2f cores%n",
                        n,
                        s.p50,
                        s.p95,
                        s.p99,
                        s.p99PerWindow,
                        s.ingestFps,
                        s.inferenceFps,
                        s.drops,
                        s.cpuPerCamera);
            }
        }
        write(steps);
        return 0;
    }

    private Step measure(int n, EmbeddedKafka kafka, Path home, Path clip, OperatingSystemMXBean os) throws Exception {
        String prefix = "bench" + n + ".";
        Settings settings = Settings.load(new ConfigReader(Map.of(
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
                "loopback")));
        List<RtspServer> servers = new ArrayList<>();
        List<Alert> alerts = new CopyOnWriteArrayList<>();
        try (Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false)) {
            try (Enroller enroller = new Enroller(settings.inference())) {
                Path photo = home.resolve("enrol.jpg");
                Files.write(photo, DemoAssets.read("watchlist/Grace_Hopper/grace_hopper_crop.jpg"));
                TopicWriter.write(
                        settings,
                        settings.topics().watchlist,
                        "grace",
                        new WatchlistEntry(
                                "grace",
                                "Grace",
                                List.of(enroller.embed(photo, true)),
                                null,
                                Map.of(),
                                System.currentTimeMillis()));
            }
            for (int i = 0; i < n; i++) {
                RtspServer s = RtspServer.start(clip, "/c" + i, 25);
                servers.add(s);
                TopicWriter.write(
                        settings,
                        settings.topics().cameras,
                        "cam" + i,
                        new CameraSpec("cam" + i, s.url(), fps, 1280, false, Map.of()));
            }
            Map<String, Object> props = KafkaClients.common(settings.common(), "bench-reader");
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + n);
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
                double in0 = sum(r, "vigil.ingest.frames", "published");
                double inf0 = sum(r, "vigil.inference.frames", "processed");
                double m0 = sum(r, "vigil.matcher.faces", null);
                Map<String, Double> drops0 = drops(r);
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                long end = System.currentTimeMillis() + seconds * 1000L;
                List<List<Long>> perWindow = new ArrayList<>();
                for (int w = 0; w < windows; w++) {
                    perWindow.add(new ArrayList<>());
                }
                long start = System.currentTimeMillis();
                while (System.currentTimeMillis() < end) {
                    reader.poll(Duration.ofMillis(200)).forEach(rec -> {
                        alerts.add(rec.value());
                        int w = (int) Math.min(
                                windows - 1, (System.currentTimeMillis() - start) * windows / (seconds * 1000L));
                        perWindow.get(w).add(rec.value().latencyMs());
                    });
                }
                double[] windowP99 = perWindow.stream()
                        .filter(l -> !l.isEmpty())
                        .mapToDouble(l -> Percentile.of(
                                l.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99))
                        .toArray();
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / secs;
                Map<String, Double> drops = drops(r);
                drops.replaceAll((k, v) -> v - drops0.getOrDefault(k, 0.0));
                long[] lat =
                        alerts.stream().mapToLong(Alert::latencyMs).sorted().toArray();
                return new Step(
                        n,
                        lat.length,
                        Percentile.of(lat, 0.5),
                        Percentile.of(lat, 0.95),
                        Percentile.of(lat, 0.99),
                        (sum(r, "vigil.ingest.frames", "published") - in0) / secs,
                        (sum(r, "vigil.inference.frames", "processed") - inf0) / secs,
                        (sum(r, "vigil.matcher.faces", null) - m0) / secs,
                        drops,
                        cpu / n,
                        windowP99.length == 0 ? "-" : Spread.of(windowP99).show("%.0f"));
            }
        } finally {
            servers.forEach(RtspServer::close);
        }
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

    private void write(List<Step> steps) throws Exception {
        StringBuilder md = new StringBuilder(
                "| cameras | alerts | p50 ms | p95 ms | p99 ms | p99 per window | ingest fps | inference fps | matcher faces/s | drops | CPU per camera (cores) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        Integer firstDrop = null;
        for (Step s : steps) {
            double dropped =
                    s.drops.values().stream().mapToDouble(Double::doubleValue).sum();
            boolean behind = s.inferenceFps < 0.9 * s.ingestFps;
            if (firstDrop == null && (dropped > 0 || behind)) {
                firstDrop = s.cameras;
            }
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %d | %.0f | %.0f | %.0f | %s | %.1f | %.1f | %.1f | %s | %.2f |%n",
                    s.cameras,
                    s.alerts,
                    s.p50,
                    s.p95,
                    s.p99,
                    s.p99PerWindow,
                    s.ingestFps,
                    s.inferenceFps,
                    s.matcherFps,
                    s.drops,
                    s.cpuPerCamera));
        }
        md.append(
                firstDrop == null
                        ? "\nNo frames dropped and inference kept up at every camera count measured.\n"
                        : "\nFrames start to drop (or inference falls behind) at " + firstDrop + " cameras.\n");
        Files.writeString(out.resolve("e2e.md"), md);
        Files.writeString(
                out.resolve("e2e.json"),
                JsonSerde.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(steps));
        chart(steps, out.resolve("e2e-latency.png"));
        System.out.println();
        System.out.print(md);
        System.out.println("written: " + out.resolve("e2e.md") + ", e2e.json, e2e-latency.png");
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
        g.drawString("capture-to-alert latency (ms) by camera count", left, 22);
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
                    g.drawString(
                            s.cameras + (s.cameras == 1 ? " camera" : " cameras"),
                            Math.min(x - 25, right - 70),
                            bottom + 20);
                    g.setColor(colors[k]);
                }
            }
            g.drawString(names[k], right - 60, top + 15 + 16 * k);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }
}
