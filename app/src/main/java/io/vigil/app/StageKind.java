package io.vigil.app;

import java.util.EnumSet;
import java.util.Set;

/** What {@code vigil run} can run. */
public enum StageKind {
    INGEST, INFERENCE, MATCHER, ALERTS, ALL;

    public Set<StageKind> expand() {
        return this == ALL ? EnumSet.of(INGEST, INFERENCE, MATCHER, ALERTS) : EnumSet.of(this);
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
