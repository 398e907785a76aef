package io.vigil.app.pipeline;

import io.vigil.alerts.AlertsStage;
import io.vigil.app.enrol.EnrolPhotoReader;
import io.vigil.console.ConsoleStage;
import io.vigil.inference.InferenceStage;
import io.vigil.ingest.IngestStage;
import io.vigil.matcher.MatcherStage;
import io.vigil.runtime.lifecycle.Stage;

import java.time.Clock;
import java.util.Optional;

/** Builds each stage from its configuration: the one place that knows every stage's constructor. */
final class StageFactory {
    private StageFactory() {}

    static Optional<Stage> create(StageKind kind, StageContext context) {
        Settings s = context.settings();
        switch (kind) {
            case INFERENCE -> {
                return Optional.of(new InferenceStage(s.common(), s.inference(), context.topics(), context.registry()));
            }
            case INGEST -> {
                return Optional.of(new IngestStage(
                        s.common(), s.ingest(), context.topics(), context.registry(), Clock.systemUTC()));
            }
            case MATCHER -> {
                return Optional.of(new MatcherStage(s.common(), s.matcher(), context.topics(), context.registry()));
            }
            case ALERTS -> {
                return Optional.of(new AlertsStage(
                        s.common(),
                        s.alerts(),
                        context.topics(),
                        context.registry(),
                        context.http(),
                        Clock.systemUTC()));
            }
            case CONSOLE -> {
                return Optional.of(new ConsoleStage(
                        s.common(),
                        s.console(),
                        context.topics(),
                        context.registry(),
                        context.http(),
                        new EnrolPhotoReader(s.inference(), s.console().maxPixels()),
                        Clock.systemUTC()));
            }
            default -> throw new IllegalArgumentException("not a single stage: " + kind);
        }
    }
}
