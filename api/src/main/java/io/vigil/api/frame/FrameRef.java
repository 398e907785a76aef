package io.vigil.api.frame;

import java.util.regex.Pattern;

/**
 * Where a frame is on the frames topic: an alert carries it so that anyone allowed to read that topic can fetch the
 * whole frame while it is retained.
 */
public record FrameRef(String topic, int partition, long offset) {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public FrameRef {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("frame topic must be a Kafka topic name (A-Z a-z 0-9 . _ -)");
        }
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("frame partition and offset must not be negative");
        }
    }
}
