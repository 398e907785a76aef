package io.vigil.app.cli;

import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one pipeline stage, or all of them in one process.",
            "Without --bootstrap or VIGIL_KAFKA_BOOTSTRAP, 'run all' starts an embedded broker under VIGIL_HOME.",
            "Stops cleanly on Ctrl-C or SIGTERM."
        })
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "STAGE", description = "ingest, inference, matcher, alerts or all")
    StageKind stage;

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            description = "port of /metrics and /health (default: VIGIL_HTTP_PORT or 9400; 0 = any free port)")
    Integer httpPort;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = kafka.unchecked().withHttpPort(httpPort);
        Pipeline pipeline =
                Pipeline.start(settings, stage, stage == StageKind.ALL).closeOnShutdown();
        System.out.printf(
                "vigil %s running; Kafka %s; metrics http://127.0.0.1:%d/metrics (Ctrl-C stops)%n",
                stage.label(), pipeline.bootstrap(), pipeline.httpPort());
        pipeline.awaitStopped();
        return 0;
    }
}
