package io.vigil.app.cli;

import io.vigil.app.pipeline.Settings;
import picocli.CommandLine.Option;

/** The {@code --bootstrap} option shared by every command that talks to Kafka. */
public final class KafkaOptions {
    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka bootstrap servers (default: VIGIL_KAFKA_BOOTSTRAP; demo and 'run all' start an embedded broker when neither is set)")
    String bootstrap;

    /** The settings from the environment with --bootstrap applied; a user error when no Kafka is given at all. */
    Settings settings() {
        Settings s = Settings.fromEnvironment().withBootstrap(bootstrap);
        s.requireBootstrap();
        return s;
    }
}
