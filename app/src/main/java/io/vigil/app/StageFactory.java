package io.vigil.app;

import io.vigil.inference.worker.InferenceStage;
import io.vigil.ingest.IngestStage;
import io.vigil.matcher.MatcherStage;
import io.vigil.runtime.lifecycle.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Builds each stage from its configuration: the one place that knows every stage's constructor. */
final class StageFactory {
    private static final Logger LOG = LoggerFactory.getLogger(StageFactory.class);

    private StageFactory() {
    }

    static Optional<Stage> create(StageKind kind, StageContext context) {
        Settings s = context.settings();
        switch (kind) {
            case INFERENCE -> {
                return Optional.of(new InferenceStage(s.common(), s.inference(), context.topics(), context.registry()));
            }
            case INGEST -> {
                return Optional.of(new IngestStage(s.common(), s.ingest(), context.topics(), context.registry(),
                        java.time.Clock.systemUTC()));
            }
            case MATCHER -> {
                return Optional.of(new MatcherStage(s.common(), s.matcher(), context.topics(), context.registry()));
            }
            default -> {
                LOG.warn("The {} stage is not part of this build yet; skipping it", kind.label());
                return Optional.empty();
            }
        }
    }
}
