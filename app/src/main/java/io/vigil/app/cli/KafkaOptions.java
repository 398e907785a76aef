package io.vigil.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vigil.api.topic.Topic;
import io.vigil.app.UserException;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.kafka.CompactedTopicReader;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The {@code --bootstrap} option shared by every command that talks to Kafka. */
public final class KafkaOptions {
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(8);

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT[,...]",
            description =
                    "Kafka bootstrap servers (default: VIGIL_KAFKA_BOOTSTRAP; demo and 'run all' start an embedded broker when neither is set)")
    String bootstrap;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "a settings file (VIGIL_* keys, e.g. this principal's VIGIL_KAFKA_SASL_JAAS_CONFIG);"
                    + " default: VIGIL_CONFIG_FILE")
    Path config;

    /** The settings from the environment and --config, with --bootstrap applied; Kafka not contacted. */
    Settings unchecked() {
        return Settings.fromEnvironment(config).withBootstrap(bootstrap);
    }

    /**
     * The settings from the environment with --bootstrap applied, once Kafka has answered: a user error (one line
     * naming the address and the fix, within about 10 s) when no Kafka is given, reachable or willing.
     */
    Settings settings() {
        Settings s = unchecked();
        s.requireBootstrap();
        // a command prints its own one-line reason; the Kafka client's reconnect warnings would only bury it
        ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.ERROR);
        try {
            KafkaAccess.check(s.common(), CHECK_TIMEOUT);
        } catch (KafkaAccess.UnavailableException e) {
            throw new UserException(e.getMessage(), 1);
        }
        return s;
    }

    /**
     * The latest value of every key of a compacted topic (tombstoned keys left out); a value that cannot be read is
     * reported on {@code err} as "unreadable WHAT KEY: reason" and left out, or silently left out when err is null.
     */
    static <V> Map<String, V> latest(Settings s, Topic<String, V> topic, PrintWriter err, String what) {
        return CompactedTopicReader.read(
                KafkaClients.common(s.common(), "vigil-cli"),
                topic.name(),
                topic.valueSerde().deserializer(),
                (k, e) -> {
                    if (err != null) {
                        err.printf("unreadable %s %s: %s%n", what, k, e.getMessage());
                    }
                },
                Duration.ofSeconds(30));
    }
}
