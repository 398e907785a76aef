package io.vigil.app.cli;

import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.TopicSpec;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the Vigil topics that are missing and reports the ones that differ from the spec (retention and",
            "the other settings come from VIGIL_RETENTION_*, VIGIL_WATCHLIST_ERASURE_LAG, VIGIL_KAFKA_REPLICATION_FACTOR).",
            "Without --apply it never changes an existing topic, and exits 3 when some differ; with --apply it changes",
            "them to the spec and prints every change."
        })
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--apply", description = "change existing topics to the spec (configs set, partitions added)")
    boolean apply;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = kafka.settings();
        VigilTopics topics = settings.topics();
        try (Admin admin = KafkaClients.admin(settings.common())) {
            TopicSetup.Report r = new TopicSetup(admin, settings.common().replicationFactor()).ensure(topics.specs());
            for (TopicSpec spec : topics.specs()) {
                String state = r.created().contains(spec.name())
                        ? "created"
                        : r.unchanged().contains(spec.name()) ? "ok" : "DIFFERS";
                System.out.printf("%-24s %3d partitions  %s%n", spec.name(), spec.partitions(), state);
            }
            if (!apply) {
                r.mismatches().forEach(m -> System.out.println("  " + m));
                return r.consistent() ? 0 : 3;
            }
            List<String> changes = new TopicSetup(admin, settings.common().replicationFactor()).apply(topics.specs());
            changes.forEach(c -> System.out.println("changed " + c));
            System.out.printf("%d change(s) applied%n", changes.size());
            return 0;
        }
    }
}
