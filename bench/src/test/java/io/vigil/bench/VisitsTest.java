package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

class VisitsTest {
    private static final long LOOP = 40_000;

    @Test
    void everyPassAlertedIsFullRecall() {
        // window 0-100 s, passes at 5, 45, 85 s, several alerts each
        Visits v = Visits.of(List.of(5_000L, 5_400L, 6_000L, 45_100L, 85_200L, 86_000L), 0, 100_000, LOOP);
        assertThat(v).isEqualTo(new Visits(3, 0, 0));
        assertThat(v.recall()).isEqualTo(1.0);
    }

    @Test
    void aSkippedLoopIsAMissedPass() {
        assertThat(Visits.of(List.of(5_000L, 85_000L), 0, 100_000, LOOP)).isEqualTo(new Visits(2, 1, 0));
    }

    @Test
    void wholeLoopsBeforeTheFirstAndAfterTheLastAreMissedPasses() {
        assertThat(Visits.of(List.of(45_000L), 0, 100_000, LOOP)).isEqualTo(new Visits(1, 2, 0));
        assertThat(Visits.of(List.of(), 0, 100_000, LOOP)).isEqualTo(new Visits(0, 2, 0));
    }

    @Test
    void anAlertHalfALoopFromAnyPassIsFalse() {
        assertThat(Visits.of(List.of(5_000L, 25_000L, 45_000L), 0, 80_000, LOOP))
                .isEqualTo(new Visits(2, 0, 1));
    }
}
