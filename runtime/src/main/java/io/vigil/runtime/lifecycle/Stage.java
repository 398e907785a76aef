package io.vigil.runtime.lifecycle;

/** A running part of a Vigil process (a pipeline stage, the embedded broker, the HTTP endpoint). */
public interface Stage extends AutoCloseable {
    /** A short name for logs: ingest, inference, matcher, alerts. */
    String name();

    /** Starts work in the background and returns. */
    void start();

    /** True once the stage does its work (readiness probe). */
    boolean ready();

    /** Stops work, flushing what is in flight; must be safe to call twice. */
    @Override
    void close();
}
