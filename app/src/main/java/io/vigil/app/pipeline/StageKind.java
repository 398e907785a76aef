package io.vigil.app.pipeline;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What {@code vigil run} can run. */
public enum StageKind {
    INGEST,
    INFERENCE,
    MATCHER,
    ALERTS,
    CONSOLE,
    ALL;

    public Set<StageKind> expand() {
        return this == ALL ? EnumSet.of(INGEST, INFERENCE, MATCHER, ALERTS, CONSOLE) : EnumSet.of(this);
    }

    /** Parses a stage name as typed on the command line. */
    public static StageKind parse(String s) {
        for (StageKind k : values()) {
            if (k.label().equalsIgnoreCase(s.trim())) {
                return k;
            }
        }
        throw new picocli.CommandLine.TypeConversionException(
                "unknown stage '" + s + "'; use ingest, inference, matcher, alerts, console or all");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
