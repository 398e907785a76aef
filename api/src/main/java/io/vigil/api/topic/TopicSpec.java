package io.vigil.api.topic;

import java.util.Map;

/**
 * How a topic must be created: partitions (the parallelism cap of the stage that consumes it) and topic configs.
 *
 * @param name       full topic name, prefix included
 * @param partitions partition count
 * @param configs    topic-level configs set explicitly at creation and checked by {@link TopicSetup}
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least 1 partition, got " + partitions);
        }
        configs = Map.copyOf(configs);
    }
}
