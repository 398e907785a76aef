package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.api.watchlist.FalseAlarms;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

/**
 * The impostor model the product ships is the one the study fits on the real photos with the bundled models, and
 * that model follows the observed upper tail.
 */
class FalseAlarmStudyTest {
    private static final Path FACES = Path.of("..", "inference", "src", "test", "resources", "faces");

    @Test
    void theBundledModelIsRefittedFromThePhotos() throws Exception {
        FalseAlarmBench.Study s = FalseAlarmBench.study(
                FACES.resolve("johns-dev"),
                List.of(
                        FACES.resolve("misc/1280px-Solvay_conference_1927.png"),
                        FACES.resolve("misc/grace_hopper_512x512.jpg")));
        assertThat(s.identities()).isGreaterThanOrEqualTo(30);
        assertThat(s.tail().pairs()).isEqualTo(FalseAlarms.BUNDLED.pairs());
        assertThat(s.tail().mean()).isCloseTo(FalseAlarms.BUNDLED.mean(), within(0.001));
        assertThat(s.tail().sd()).isCloseTo(FalseAlarms.BUNDLED.sd(), within(0.001));
        assertThat(s.genuine()[0])
                .as("every same-person pair is far above every impostor pair of different photos")
                .isGreaterThan(s.impostors()[s.impostors().length - 1] + 0.2);
        double[] imp = s.impostors();
        for (double x : new double[] {0.15, 0.20, 0.25}) {
            double observed = java.util.Arrays.stream(imp).filter(v -> v >= x).count() / (double) imp.length;
            assertThat(FalseAlarms.BUNDLED.pairProbability(x))
                    .as("the model against the observed tail at %.2f", x)
                    .isCloseTo(observed, within(observed * 0.35));
        }
    }
}
