package io.vigil.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline on this machine: an embedded broker (data in VIGIL_HOME/kafka),",
                "every stage, and prints where to look. Ctrl-C stops everything."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--http-port", paramLabel = "PORT", description = "port of the page, /metrics and /health (default 9400; 0 = any)")
    Integer httpPort;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = Settings.fromEnvironment().withHttpPort(httpPort);
        Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, true).closeOnShutdown();
        System.out.printf("Vigil demo running. Kafka: %s%n  metrics: http://127.0.0.1:%d/metrics%n  Ctrl-C stops.%n",
                pipeline.bootstrap(), pipeline.httpPort());
        pipeline.awaitStopped();
        return 0;
    }
}
