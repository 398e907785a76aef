package io.vigil.api.watchlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FalseAlarmsTest {
    private final FalseAlarms model = new FalseAlarms(0.0, 0.1, 1000);

    @Test
    void theUpperTailMatchesTheStandardNormalFarOut() {
        // reference values of P(Z >= z)
        assertThat(FalseAlarms.upperTail(0)).isCloseTo(0.5, within(1e-7));
        assertThat(FalseAlarms.upperTail(1.959964)).isCloseTo(0.025, within(1e-8));
        assertThat(FalseAlarms.upperTail(4) / 3.167124e-5).isCloseTo(1, within(1e-5));
        assertThat(FalseAlarms.upperTail(6) / 9.865876e-10).isCloseTo(1, within(1e-5));
        assertThat(FalseAlarms.upperTail(-1.959964)).isCloseTo(0.975, within(1e-7));
    }

    @Test
    void falseAlarmsGrowWithTheWatchlistAndFallWithTheThreshold() {
        // p(0.4) = P(Z >= 4) = 3.17e-5: 1,000 embeddings give 1 - (1 - p)^1000 = 3.12 % of strangers
        assertThat(model.per1000(0.4, 1000)).isCloseTo(31.2, within(0.1));
        assertThat(model.per1000(0.4, 10_000)).isGreaterThan(model.per1000(0.4, 1000));
        assertThat(model.per1000(0.5, 1000)).isLessThan(model.per1000(0.4, 1000));
        assertThat(model.per1000(0.4, 0)).isZero();
        assertThat(model.per1000(0.0, 1_000_000)).isCloseTo(1000, within(1e-9));
    }

    @Test
    void theThresholdForABoundKeepsUnderIt() {
        double t = model.thresholdFor(1.0, 1_000_000);
        assertThat(model.per1000(t, 1_000_000)).isLessThanOrEqualTo(1.0);
        assertThat(model.per1000(t - 0.01, 1_000_000)).isGreaterThan(1.0);
    }
}
