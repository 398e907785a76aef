package io.vigil.app.cli;

import io.vigil.api.Secrets;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraSpec;
import io.vigil.app.UserException;
import io.vigil.app.demo.DemoAssets;
import io.vigil.app.enrol.Enroller;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.ingest.camera.CameraPolicy;
import io.vigil.ingest.sample.RtspServer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole pipeline on this machine: an embedded Kafka broker (data kept in VIGIL_HOME/kafka),",
            "a sample RTSP camera streaming a clip of the bundled photos, every stage, and a demo watchlist.",
            "Prints each alert as it happens and where to look. Ctrl-C stops everything."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "port of the alerts page, /metrics and /health (default 9400; 0 = any)")
    Integer httpPort;

    @Option(names = "--camera", paramLabel = "URL", description = "watch this stream instead of the sample camera")
    String cameraUrl;

    @Option(names = "--video", paramLabel = "FILE", description = "watch this video file (played in real time) instead")
    Path video;

    @Option(
            names = "--watchlist",
            paramLabel = "DIR",
            description = "enrol these people (one folder each) instead of the demo ones")
    Path watchlistDir;

    @Option(
            names = "--fps",
            defaultValue = "5",
            description = "frames per second to analyse (default ${DEFAULT-VALUE})")
    double fps;

    @Override
    public Integer call() throws Exception {
        if (cameraUrl != null && video != null) {
            throw new UserException("give --camera or --video, not both", 2);
        }
        if (video != null && !Files.isReadable(video)) {
            throw new UserException("cannot read the video " + video, 2);
        }
        // the demo's sample camera streams on this machine, and --video reads a file: allow both, for the demo only
        Settings settings = Settings.fromEnvironment()
                .withHttpPort(httpPort)
                .allowingCameras(EnumSet.of(CameraPolicy.Allow.FILE, CameraPolicy.Allow.LOOPBACK));
        Path home = settings.common().home();
        Files.createDirectories(home);
        String url = cameraUrl != null ? cameraUrl : video != null ? "file://" + video.toAbsolutePath() : null;
        RtspServer sample = null;
        if (url == null) {
            sample = RtspServer.start(DemoAssets.clip(home), "/demo", 10);
            url = sample.url();
        }
        List<String> problems = CameraSpec.problems("demo-cam", url, fps, 0);
        if (!problems.isEmpty()) {
            throw new UserException(String.join("; ", problems), 2);
        }
        Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, true);
        Settings live = pipeline.settings();
        if (sample != null) {
            pipeline.onClose(sample);
        }
        pipeline.closeOnShutdown();
        int enrolled = enrol(live, watchlistDir != null ? watchlistDir : DemoAssets.watchlist(home));
        CameraCommand.publish(live, "demo-cam", new CameraSpec("demo-cam", url, fps, 1280, false, Map.of()));
        Thread tail = new Thread(() -> printAlerts(live), "demo-alerts");
        tail.setDaemon(true);
        tail.start();
        pipeline.closeFirst(() -> {
            tail.interrupt();
            tail.join(5_000);
        });
        System.out.printf(
                "%nVigil demo running.%n  camera:      demo-cam  %s%n  watchlist:   %d people%n"
                        + "  alerts page: http://127.0.0.1:%d/%n  console:     http://127.0.0.1:%d/console/%n"
                        + "  metrics:     http://127.0.0.1:%d/metrics%n"
                        + "  Kafka:       %s (data in %s)%nAlerts appear below as they happen. Ctrl-C stops everything.%n%n",
                Secrets.maskUrl(url),
                enrolled,
                pipeline.httpPort(),
                pipeline.httpPort(),
                pipeline.httpPort(),
                pipeline.bootstrap(),
                home.resolve("kafka"));
        pipeline.awaitStopped();
        return 0;
    }

    private static int enrol(Settings settings, Path dir) throws IOException {
        int n = 0;
        try (Enroller enroller = new Enroller(settings.inference())) {
            for (Path person : Enroller.people(dir)) {
                List<String> problems = new ArrayList<>();
                var enrolment = enroller.entry(person, true, Map.of("source", "demo"), problems);
                problems.forEach(p -> System.err.println("demo: skipped " + p));
                if (enrolment.isPresent()) {
                    WatchlistCommand.publish(settings, enrolment.get());
                    n++;
                }
            }
        }
        return n;
    }

    private static void printAlerts(Settings settings) {
        try (KafkaConsumer<byte[], byte[]> c = AlertsCommand.Tail.open(settings, "vigil-demo-tail", false)) {
            while (!Thread.currentThread().isInterrupted()) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    Alert a = AlertsCommand.Tail.decode(r, problem -> System.err.println("demo: " + problem));
                    if (a != null) {
                        System.out.println("ALERT " + AlertsCommand.Tail.line(a));
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (RuntimeException e) {
            System.err.println("demo: alert printer stopped: " + e.getMessage());
        }
    }
}
