package io.vigil.api.topic;

/**
 * The dead-letter contract. A record that a stage cannot process is copied to the {@code dlq} topic unchanged
 * (same key and value bytes) with these headers, so an operator can see where it came from and why, fix, and replay.
 */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "vigil.dlq.source.topic";
    public static final String SOURCE_PARTITION = "vigil.dlq.source.partition";
    public static final String SOURCE_OFFSET = "vigil.dlq.source.offset";
    /** The stage that gave up: ingest, inference, matcher or alerts. */
    public static final String STAGE = "vigil.dlq.stage";
    /** A short machine-readable reason, e.g. {@code corrupt-jpeg}, {@code unknown-version}, {@code webhook-failed}. */
    public static final String REASON = "vigil.dlq.reason";
    /** The human-readable detail (exception message). */
    public static final String DETAIL = "vigil.dlq.detail";

    private DeadLetters() {}
}
