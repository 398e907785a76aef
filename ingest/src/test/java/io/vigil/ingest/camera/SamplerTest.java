package io.vigil.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Duration;

class SamplerTest {
    @Test
    void takesFramesByCaptureTimeNotByCount() {
        Sampler s = new Sampler(5);
        int taken = 0;
        // 25 fps for 10 s, with jittered timestamps
        for (int i = 0; i < 250; i++) {
            long ts = i * 40_000L + (i % 3) * 3_000L;
            if (s.take(ts)) {
                taken++;
            }
        }
        assertThat(taken).isBetween(49, 51);
    }

    @Test
    void aGapDoesNotCauseABurst() {
        Sampler s = new Sampler(2);
        assertThat(s.take(0)).isTrue();
        assertThat(s.take(100_000)).isFalse();
        assertThat(s.take(10_000_000)).isTrue();
        assertThat(s.take(10_040_000)).isFalse();
        assertThat(s.take(10_500_000)).isTrue();
    }

    @Test
    void aStreamSlowerThanTheTargetGivesEveryFrame() {
        Sampler s = new Sampler(10);
        for (int i = 0; i < 20; i++) {
            assertThat(s.take(i * 500_000L)).isTrue();
        }
    }

    @Test
    void predictsWhichFramesToConvertAndMissesAtMostOneFramePerSample() {
        Sampler s = new Sampler(5);
        int converted = 0;
        int taken = 0;
        for (int i = 0; i < 250; i++) {
            long ts = i * 40_000L;
            boolean convert = s.expectNext();
            s.seen(ts);
            if (convert) {
                converted++;
                if (s.take(ts)) {
                    taken++;
                }
            }
        }
        assertThat(taken).isBetween(49, 51);
        assertThat(converted)
                .as("only the frames about to be sampled are converted")
                .isLessThanOrEqualTo(taken + 2);
    }

    @Test
    void backoffGrowsAndStaysUnderTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        assertThat(b.delayMs(0)).isBetween(50L, 100L);
        assertThat(b.delayMs(3)).isBetween(400L, 800L);
        for (int i = 0; i < 40; i++) {
            assertThat(b.delayMs(i)).isBetween(50L, 2000L);
        }
    }
}
