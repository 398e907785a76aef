package io.vigil.runtime.lifecycle;

/** A running part of a Vigil process (a pipeline stage, the embedded broker, the HTTP endpoint). */
public interface Stage extends AutoCloseable {
    /** A short name for logs: ingest, inference, matcher, alerts. */
    String name();

    /** Starts work in the background and returns. */
    void start();

    /** True once the stage does its work (readiness probe). */
    boolean ready();

    /**
     * False when the stage can no longer work without a restart: a loop died or is stuck (liveness probe). A stage
     * that is merely waiting (for the broker, for partitions) is still live.
     */
    default boolean live() {
        return true;
    }

    /** Why the stage stopped working on its own, in one sentence (a refusal names the ACL to ask for); else null. */
    default String failure() {
        return null;
    }

    /** Stops work, flushing what is in flight; must be safe to call twice. */
    @Override
    void close();
}
