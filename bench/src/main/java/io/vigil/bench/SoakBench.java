package io.vigil.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.camera.CameraSpec;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline (embedded broker, real RTSP cameras, every stage) for a long time and",
            "samples it every 30 s: resident memory, heap after GC, frames published, analysed, dead-lettered and",
            "dropped, alerts, cameras stuck (no frame for 10 s), loops not live. At the end the cameras stop, the",
            "pipeline drains, and it reports RSS growth after warm-up, frames lost and stuck cameras."
        })
final class SoakBench implements Callable<Integer> {
    @Option(names = "--cameras", defaultValue = "2", description = "cameras (default ${DEFAULT-VALUE})")
    int cameras;

    @Option(names = "--minutes", defaultValue = "60", description = "measured minutes (default ${DEFAULT-VALUE})")
    double minutes;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "minutes before the RSS baseline (default ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--fps", defaultValue = "5")
    double fps;

    @Option(
            names = "--out",
            defaultValue = "target/bench-soak",
            description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    record Sample(
            double minute,
            long rssKb,
            long heapCommittedKb,
            long heapAfterGcKb,
            double published,
            double analysed,
            double deadLettered,
            double dropped,
            double alerts,
            int stuckCameras,
            int deadStages) {}

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Path home = Files.createTempDirectory(out.toAbsolutePath(), "home");
        Path clip = SampleClip.build(
                List.of(
                        new SampleClip.Segment(DemoAssets.read("scene/1-grace_hopper.jpg"), 6),
                        new SampleClip.Segment(DemoAssets.read("scene/3-john_salley.jpg"), 6)),
                1280,
                720,
                25,
                home.resolve("clip.h264"));
        List<Sample> samples = new ArrayList<>();
        List<RtspServer> servers = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"))) {
            Settings settings = Settings.load(new ConfigReader(Map.of(
                    "VIGIL_HOME",
                    home.toString(),
                    "VIGIL_HTTP_PORT",
                    "0",
                    "VIGIL_MATCHER_COOLDOWN",
                    "10s",
                    "VIGIL_KAFKA_BOOTSTRAP",
                    kafka.bootstrapServers(),
                    "VIGIL_INGEST_ALLOW",
                    "loopback")));
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
                                    System.currentTimeMillis(),
                                    enroller.model()));
                }
                for (int i = 0; i < cameras; i++) {
                    RtspServer s = RtspServer.start(clip, "/s" + i, 25);
                    servers.add(s);
                    TopicWriter.write(
                            settings,
                            settings.topics().cameras,
                            "soak" + i,
                            new CameraSpec("soak" + i, s.url(), fps, 1280, false, Map.of()));
                }
                long t0 = System.nanoTime();
                long end = t0 + (long) ((warmup + minutes) * 60e9);
                while (System.nanoTime() < end) {
                    Thread.sleep(30_000);
                    Sample s = sample(pipeline, (System.nanoTime() - t0) / 60e9);
                    samples.add(s);
                    System.out.printf(
                            Locale.ROOT,
                            "%6.1f min  RSS %7.1f MB (heap committed %6.1f MB)  old gen after GC %6.1f MB  published %8.0f"
                                    + "  analysed %8.0f  dead-lettered %4.0f  dropped %5.0f  alerts %5.0f  stuck %d  dead stages %d%n",
                            s.minute,
                            s.rssKb / 1024.0,
                            s.heapCommittedKb / 1024.0,
                            s.heapAfterGcKb / 1024.0,
                            s.published,
                            s.analysed,
                            s.deadLettered,
                            s.dropped,
                            s.alerts,
                            s.stuckCameras,
                            s.deadStages);
                }
                servers.forEach(RtspServer::close);
                // drain: everything published is analysed (or dead-lettered) once inference has caught up
                double published = count(pipeline.registry(), "vigil.ingest.frames", "published");
                long drainEnd = System.nanoTime() + 600_000_000_000L;
                while (System.nanoTime() < drainEnd && analysed(pipeline.registry()) < published) {
                    Thread.sleep(1_000);
                }
                samples.add(sample(pipeline, (System.nanoTime() - t0) / 60e9));
            }
        } finally {
            servers.forEach(RtspServer::close);
        }
        report(samples);
        return 0;
    }

    private Sample sample(Pipeline pipeline, double minute) {
        MeterRegistry r = pipeline.registry();
        int stuck = (int) r.find("vigil.ingest.last.frame.age").gauges().stream()
                .map(Gauge::value)
                .filter(age -> Double.isNaN(age) || age > 10)
                .count();
        int dead = (int) pipeline.stages().stream().filter(s -> !s.live()).count();
        return new Sample(
                minute,
                rssKb(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024,
                heapAfterGcKb(),
                count(r, "vigil.ingest.frames", "published"),
                analysed(r),
                r.find("vigil.dlq.records").tag("stage", "inference").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum(),
                count(r, "vigil.ingest.frames", "dropped"),
                count(r, "vigil.matcher.alerts", "emitted"),
                stuck,
                dead);
    }

    private static double analysed(MeterRegistry r) {
        return count(r, "vigil.inference.frames", null);
    }

    private static double count(MeterRegistry r, String name, String outcome) {
        return r.find(name).counters().stream()
                .filter(c -> outcome == null || outcome.equals(c.getId().getTag("outcome")))
                .mapToDouble(Counter::count)
                .sum();
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }

    /** The old generation's occupancy after its last collection (what survives: a leak on the heap shows here). */
    private static long heapAfterGcKb() {
        long bytes = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getName().contains("Old") && p.getCollectionUsage() != null) {
                bytes += p.getCollectionUsage().getUsed();
            }
        }
        return bytes / 1024;
    }

    private void report(List<Sample> samples) throws Exception {
        Sample base =
                samples.stream().filter(s -> s.minute >= warmup).findFirst().orElse(samples.get(0));
        Sample last = samples.get(samples.size() - 2 >= 0 ? samples.size() - 2 : 0);
        Sample drained = samples.get(samples.size() - 1);
        double growth = 100.0 * (last.rssKb - base.rssKb) / base.rssKb;
        double lost = drained.published - drained.analysed;
        int stuckSamples = (int) samples.stream()
                .limit(samples.size() - 1)
                .filter(s -> s.minute >= warmup && s.stuckCameras > 0)
                .count();
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Soak: %d cameras at %.0f fps for %.0f min after %.0f min warm-up.%n%n",
                cameras,
                fps,
                minutes,
                warmup));
        md.append(String.format(
                Locale.ROOT,
                "- RSS %.1f MB after warm-up, %.1f MB at the end: growth %.1f %% (goal < 5 %%)%n",
                base.rssKb / 1024.0,
                last.rssKb / 1024.0,
                growth));
        md.append(String.format(
                Locale.ROOT,
                "- RSS beside the committed heap (native memory, metaspace, threads) %.1f MB after"
                        + " warm-up, %.1f MB at the end; old generation after GC %.1f MB, then %.1f MB%n",
                (base.rssKb - base.heapCommittedKb) / 1024.0,
                (last.rssKb - last.heapCommittedKb) / 1024.0,
                base.heapAfterGcKb / 1024.0,
                last.heapAfterGcKb / 1024.0));
        md.append(String.format(
                Locale.ROOT,
                "- frames published %.0f, analysed %.0f (of which dead-lettered %.0f): lost %.0f%n",
                drained.published,
                drained.analysed,
                drained.deadLettered,
                lost));
        md.append(String.format(
                Locale.ROOT,
                "- frames dropped at ingest (publisher slower than the camera) %.0f; alerts %.0f%n",
                drained.dropped,
                drained.alerts));
        md.append(String.format(
                Locale.ROOT,
                "- samples with a stuck camera after warm-up: %d of %d; stages not live at any sample: %d%n",
                stuckSamples,
                samples.size() - 1,
                samples.stream().mapToInt(Sample::deadStages).max().orElse(0)));
        md.append(
                "\n| minute | RSS MB | heap committed MB | old gen after GC MB | published | analysed | dropped | alerts | stuck |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        for (Sample s : samples) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %d |%n",
                    s.minute,
                    s.rssKb / 1024.0,
                    s.heapCommittedKb / 1024.0,
                    s.heapAfterGcKb / 1024.0,
                    s.published,
                    s.analysed,
                    s.dropped,
                    s.alerts,
                    s.stuckCameras));
        }
        Files.writeString(out.resolve("soak.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("written: " + out.resolve("soak.md"));
    }
}
