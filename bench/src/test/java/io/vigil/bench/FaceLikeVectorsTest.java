package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.api.watchlist.FalseAlarms;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The bench's face-like data has the similarity statistics measured on the real photos. */
class FaceLikeVectorsTest {
    private final FaceLikeVectors gen = new FaceLikeVectors(512, 7);
    private final SplittableRandom r = new SplittableRandom(3);

    @Test
    void differentPeopleMeetAtTheImpostorSpreadOfTheRealPhotos() {
        int pairs = 4000;
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < pairs; i++) {
            double c = dot(gen.photo(gen.direction(r), r), gen.photo(gen.direction(r), r));
            sum += c;
            squares += c * c;
        }
        double mean = sum / pairs;
        double sd = Math.sqrt(squares / pairs - mean * mean);
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(sd).isCloseTo(FalseAlarms.BUNDLED.sd(), within(0.01));
    }

    @Test
    void onePersonsPhotosMeetAtTheMedianOfTheRealPhotos() {
        double[] same = new double[2000];
        for (int i = 0; i < same.length; i++) {
            float[] centre = gen.direction(r);
            same[i] = dot(gen.photo(centre, r), gen.photo(centre, r));
        }
        Arrays.sort(same);
        assertThat(same[same.length / 2]).isCloseTo(FaceLikeVectors.SAME_PERSON, within(0.02));
    }

    @Test
    void aSightingIsAtExactlyTheAskedCosine() {
        float[] photo = gen.photo(gen.direction(r), r);
        assertThat(dot(photo, photo)).isCloseTo(1, within(1e-4));
        assertThat(dot(gen.sighting(photo, 0.43, r), photo)).isCloseTo(0.43, within(1e-4));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
