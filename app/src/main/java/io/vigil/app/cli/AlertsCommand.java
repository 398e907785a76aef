package io.vigil.app.cli;

import io.vigil.api.alert.Alert;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Reads alerts from the alerts topic.",
        subcommands = {AlertsCommand.Tail.class, CommandLine.HelpCommand.class})
final class AlertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = {
                "Prints alerts as they arrive on the topic (no consumer group: it disturbs nothing).",
                "Exits 0 after --max alerts or at --timeout."
            })
    static final class Tail implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(names = "--json", description = "one JSON alert per line (thumbnail included)")
        boolean json;

        @Option(names = "--camera", paramLabel = "ID")
        String camera;

        @Option(names = "--person", paramLabel = "ID")
        String person;

        @Option(names = "--max", paramLabel = "N", description = "stop after N alerts")
        Integer max;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after this many seconds")
        Double timeout;

        @Option(names = "--from-beginning", description = "start with the oldest retained alert, not with new ones")
        boolean fromBeginning;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private static final Deserializer<Alert> ALERTS =
                new VigilTopics().alerts.valueSerde().deserializer();

        @Override
        public Integer call() {
            Settings s = kafka.settings();
            PrintWriter out = spec.commandLine().getOut();
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeout * 1e9);
            int printed = 0;
            try (KafkaConsumer<byte[], byte[]> c = open(s, "vigil-tail", fromBeginning)) {
                while (System.nanoTime() < deadline && (max == null || printed < max)) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        Alert a = decode(r, spec.commandLine().getErr()::println);
                        if (a == null
                                || (camera != null && !camera.equals(a.cameraId()))
                                || (person != null && !person.equals(a.personId()))) {
                            continue;
                        }
                        out.println(json ? new String(r.value(), StandardCharsets.UTF_8) : line(a));
                        out.flush();
                        if (max != null && ++printed >= max) {
                            break;
                        }
                    }
                }
            }
            return 0;
        }

        /**
         * A reader of every partition of the alerts topic (no consumer group: it disturbs nothing), positioned at
         * the oldest retained alert or at the end, reading committed alerts only.
         */
        static KafkaConsumer<byte[], byte[]> open(Settings s, String clientId, boolean fromBeginning) {
            Map<String, Object> props = KafkaClients.common(s.common(), clientId);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            KafkaConsumer<byte[], byte[]> c =
                    new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            String topic = s.topics().alerts.name();
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            c.assign(parts);
            if (fromBeginning) {
                c.seekToBeginning(parts);
            } else {
                c.seekToEnd(parts);
                parts.forEach(c::position);
            }
            return c;
        }

        /** The alert of a record; null for a tombstone, or for unreadable bytes after telling {@code problems} why. */
        static Alert decode(ConsumerRecord<byte[], byte[]> r, Consumer<String> problems) {
            if (r.value() == null) {
                return null;
            }
            try {
                return ALERTS.deserialize(r.topic(), r.value());
            } catch (WireFormatException e) {
                problems.accept("skipped an unreadable alert at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + ": " + e.getMessage());
                return null;
            }
        }

        static String line(Alert a) {
            return String.format(
                    Locale.ROOT,
                    "%s  camera=%s  person=%s (%s)  similarity=%.3f  latency=%d ms  id=%s",
                    a.capturedAt(),
                    a.cameraId(),
                    a.personId(),
                    a.displayName(),
                    a.similarity(),
                    a.latencyMs(),
                    a.alertId());
        }
    }
}
