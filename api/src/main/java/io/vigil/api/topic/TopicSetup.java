package io.vigil.api.topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Idempotent topic setup: creates the topics that are missing, and reports (never changes) the ones whose
 * partition count or configs differ from the spec. Changing a live topic is the operator's decision.
 */
public final class TopicSetup {
    private static final long TIMEOUT_SECONDS = 30;
    private final Admin admin;
    private final short replicationFactor;

    public TopicSetup(Admin admin, short replicationFactor) {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    /** What one run did. Mismatches are human-readable lines naming topic, setting, expected and actual. */
    public record Report(List<String> created, List<String> unchanged, List<String> mismatches) {
        public boolean consistent() {
            return mismatches.isEmpty();
        }
    }

    public Report ensure(Collection<TopicSpec> specs) throws InterruptedException {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> created = new ArrayList<>();
            List<TopicSpec> present = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (existing.contains(spec.name())) {
                    present.add(spec);
                } else if (create(spec)) {
                    created.add(spec.name());
                } else {
                    present.add(spec);
                }
            }
            List<String> mismatches = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            if (!present.isEmpty()) {
                compareWhenVisible(present, mismatches, unchanged);
            }
            if (!created.isEmpty()) {
                // return only once the new topics are in the brokers' metadata: a client started right after
                // (Kafka Streams' global store reader, say) would otherwise find no partitions and fail
                List<TopicSpec> fresh =
                        specs.stream().filter(t -> created.contains(t.name())).toList();
                compareWhenVisible(fresh, mismatches, new ArrayList<>());
            }
            return new Report(List.copyOf(created), List.copyOf(unchanged), List.copyOf(mismatches));
        } catch (ExecutionException e) {
            throw new TopicSetupException("topic setup failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TopicSetupException(
                    "topic setup timed out after " + TIMEOUT_SECONDS
                            + " s; check that the Kafka bootstrap servers are reachable",
                    e);
        }
    }

    private boolean create(TopicSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic topic = new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs());
        try {
            admin.createTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false; // another worker created it first: compare instead
            }
            throw e;
        }
    }

    /** A topic just created (by us or a peer) takes a moment to reach every broker's metadata: retry briefly. */
    private void compareWhenVisible(List<TopicSpec> specs, List<String> mismatches, List<String> unchanged)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            List<String> foundMismatches = new ArrayList<>();
            List<String> foundUnchanged = new ArrayList<>();
            try {
                compare(specs, foundMismatches, foundUnchanged);
                mismatches.addAll(foundMismatches);
                unchanged.addAll(foundUnchanged);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private void compare(List<TopicSpec> specs, List<String> mismatches, List<String> unchanged)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs =
                admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicSpec spec : specs) {
            int before = mismatches.size();
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions != spec.partitions()) {
                mismatches.add(spec.name() + ": partitions expected " + spec.partitions() + " but is " + partitions
                        + (partitions < spec.partitions()
                                ? " (fewer partitions cap how many workers can share this topic;"
                                        + " raise with kafka-topics --alter --partitions)"
                                : ""));
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            spec.configs().forEach((key, expected) -> {
                ConfigEntry entry = actual.get(key);
                String value = entry == null ? null : entry.value();
                if (!expected.equals(value)) {
                    mismatches.add(spec.name() + ": " + key + " expected " + expected + " but is " + value
                            + " (fix with kafka-configs --alter --add-config " + key + "=" + expected + ")");
                }
            });
            if (mismatches.size() == before) {
                unchanged.add(spec.name());
            }
        }
    }

    /**
     * Changes existing topics to their specs, explicitly: every config that differs is set, and partitions are added
     * where a topic has fewer (a topic never loses partitions). Returns one line per change, naming the topic, the
     * setting, the old and the new value.
     */
    public List<String> apply(Collection<TopicSpec> specs) throws InterruptedException {
        try {
            List<String> names = specs.stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                            .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                            .toList())
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> changes = new ArrayList<>();
            Map<ConfigResource, Collection<AlterConfigOp>> alter = new java.util.HashMap<>();
            Map<String, NewPartitions> grow = new java.util.HashMap<>();
            for (TopicSpec spec : specs) {
                ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                List<AlterConfigOp> ops = new ArrayList<>();
                spec.configs().forEach((key, expected) -> {
                    ConfigEntry entry = configs.get(r).get(key);
                    String actual = entry == null ? null : entry.value();
                    if (!expected.equals(actual)) {
                        ops.add(new AlterConfigOp(new ConfigEntry(key, expected), AlterConfigOp.OpType.SET));
                        changes.add(spec.name() + ": " + key + " " + actual + " -> " + expected);
                    }
                });
                if (!ops.isEmpty()) {
                    alter.put(r, ops);
                }
                int partitions = descriptions.get(spec.name()).partitions().size();
                if (partitions < spec.partitions()) {
                    grow.put(spec.name(), NewPartitions.increaseTo(spec.partitions()));
                    changes.add(spec.name() + ": partitions " + partitions + " -> " + spec.partitions());
                }
            }
            if (!alter.isEmpty()) {
                admin.incrementalAlterConfigs(alter).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            if (!grow.isEmpty()) {
                admin.createPartitions(grow).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            return changes;
        } catch (ExecutionException e) {
            throw new TopicSetupException(
                    "changing topics failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TopicSetupException("changing topics timed out after " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
