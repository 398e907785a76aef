package io.vigil.app.cli;

import io.vigil.api.audit.AuditEvent;
import io.vigil.api.camera.CameraOptions;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.UserException;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.TopicWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(
        name = "camera",
        mixinStandardHelpOptions = true,
        description =
                "Registers, removes and lists cameras (the compacted cameras topic); ingest workers pick them up at once.",
        subcommands = {
            CameraCommand.Add.class,
            CameraCommand.Remove.class,
            CameraCommand.List_.class,
            CommandLine.HelpCommand.class
        })
final class CameraCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static void publish(Settings s, String id, CameraSpec camera) {
        TopicWriter.write(s, s.topics().cameras, id, camera);
        TopicWriter.audit(
                s,
                camera == null ? AuditEvent.CAMERA_DELETE : AuditEvent.CAMERA_PUT,
                id,
                camera == null ? null : camera.maskedUrl() + " at " + camera.fps() + " fps");
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description = "Registers a camera, or replaces its settings.")
    static final class Add implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true, description = "camera id (A-Z a-z 0-9 . _ -, up to 64)")
        String id;

        @Option(
                names = "--url",
                required = true,
                description = "rtsp://, rtsps:// or http(s):// stream URL (file:///path where ingest allows files)")
        String url;

        @Option(
                names = "--fps",
                defaultValue = "5",
                description = "frames per second to publish, 0.1 to 30 (default ${DEFAULT-VALUE})")
        double fps;

        @Option(
                names = "--max-width",
                defaultValue = "1280",
                description = "downscale wider frames (default ${DEFAULT-VALUE}; 0 = never)")
        int maxWidth;

        @Option(names = "--keyframes-only", description = "decode key frames only (cheap; for low fps)")
        boolean keyframesOnly;

        @Option(
                names = "--option",
                paramLabel = "KEY=VALUE",
                description =
                        "extra FFmpeg option, repeatable; one of rtsp_flags, allowed_media_types, fflags, buffer_size, max_delay, reorder_queue_size, analyzeduration, probesize, fpsprobesize, user_agent")
        List<String> options = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<String> problems = new ArrayList<>(CameraSpec.problems(id, url, fps, maxWidth));
            Map<String, String> opts = new LinkedHashMap<>();
            for (String kv : options) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    problems.add("--option '" + kv + "' is not key=value");
                } else {
                    opts.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            problems.addAll(CameraOptions.problems(opts));
            if (!problems.isEmpty()) {
                throw new UserException(String.join("; ", problems), 2);
            }
            Settings s = kafka.settings();
            CameraSpec camera = new CameraSpec(id, url, fps, maxWidth, keyframesOnly, opts);
            publish(s, id, camera);
            spec.commandLine().getOut().printf("camera %s registered: %s at %s fps%n", id, camera.maskedUrl(), fps);
            String refused = s.ingest().policy().problem(camera);
            if (refused != null) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "warning: %s%n(ingest workers apply their own VIGIL_INGEST_ALLOW;"
                                        + " 'vigil camera ls' shows whether they accepted it)%n",
                                refused);
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Removes a camera (its worker stops it).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--id", required = true)
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            publish(s, id, null);
            spec.commandLine().getOut().printf("camera %s removed%n", id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "Lists cameras with their state, rates, last frame age and last error.")
    static final class List_ implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            VigilTopics topics = s.topics();
            PrintWriter err = spec.commandLine().getErr();
            Map<String, CameraSpec> cameras = KafkaOptions.latest(s, topics.cameras, err, "camera");
            Map<String, CameraStatus> status = KafkaOptions.latest(s, topics.cameraStatus, null, "status");
            PrintWriter out = spec.commandLine().getOut();
            long now = System.currentTimeMillis();
            out.printf(
                    "%-16s %-44s %-12s %8s %8s %9s  %s%n",
                    "ID", "URL", "STATE", "IN FPS", "OUT FPS", "LAST AGE", "LAST ERROR");
            cameras.values().stream()
                    .sorted(Comparator.comparing(CameraSpec::id))
                    .forEach(c -> {
                        CameraStatus st = status.get(c.id());
                        String age = st == null || st.lastFrameAtMs() == 0
                                ? "-"
                                : String.format(Locale.ROOT, "%.1fs", (now - st.lastFrameAtMs()) / 1000.0);
                        out.printf(
                                Locale.ROOT,
                                "%-16s %-44s %-12s %8.1f %8.1f %9s  %s%n",
                                c.id(),
                                c.maskedUrl(),
                                st == null ? "UNKNOWN" : st.state(),
                                st == null ? 0 : st.inputFps(),
                                st == null ? 0 : st.publishedFps(),
                                age,
                                st == null || st.reason() == null ? "" : st.reason());
                    });
            out.printf("%d camera(s)%n", cameras.size());
            out.flush();
            return 0;
        }
    }
}
