package io.vigil.app.cli;

import io.vigil.api.audit.AuditEvent;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.kafka.TopicTail;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Reads the audit topic: who changed cameras and people, when.",
        subcommands = {AuditCommand.Tail.class, CommandLine.HelpCommand.class})
final class AuditCommand implements Runnable {
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
                "Prints the newest audit events, oldest first; with --follow, then new ones as they arrive.",
                "No consumer group: it disturbs nothing."
            })
    static final class Tail implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Option(
                names = {"-n", "--lines"},
                paramLabel = "N",
                defaultValue = "20",
                description = "events to show first")
        int lines;

        @Option(
                names = {"-f", "--follow"},
                description = "keep printing new events")
        boolean follow;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "with --follow, stop after this long")
        Double timeout;

        @Option(names = "--json", description = "one JSON event per line")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (lines < 0 || lines > 100_000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--lines must be 0 to 100000");
            }
            Settings s = kafka.settings();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Deserializer<AuditEvent> events = s.topics().audit.valueSerde().deserializer();
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeout * 1e9);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                    KafkaClients.common(s.common(), "vigil-audit-tail"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<ConsumerRecord<byte[], byte[]>> newest =
                        TopicTail.newest(c, s.topics().audit.name(), lines, Duration.ofSeconds(30));
                newest.forEach(r -> print(r, events, out, err));
                out.flush();
                while (follow && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        print(r, events, out, err);
                    }
                    out.flush();
                }
            }
            return 0;
        }

        private void print(
                ConsumerRecord<byte[], byte[]> r, Deserializer<AuditEvent> events, PrintWriter out, PrintWriter err) {
            if (r.value() == null) {
                return;
            }
            AuditEvent e;
            try {
                e = events.deserialize(r.topic(), r.value());
            } catch (RuntimeException ex) {
                err.println("skipped an unreadable audit event at " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + ": " + ex.getMessage());
                return;
            }
            if (json) {
                out.println(new String(r.value(), StandardCharsets.UTF_8));
                return;
            }
            out.printf(
                    "%s  %-14s %-24s %-8s %-4s %-16s %s%n",
                    Instant.ofEpochMilli(e.atMs()),
                    e.action(),
                    e.actor(),
                    e.role(),
                    e.via(),
                    e.target(),
                    e.detail() == null ? "" : e.detail());
        }
    }
}
