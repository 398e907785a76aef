package io.vigil.inference.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.api.face.FaceBox;
import org.junit.jupiter.api.Test;

import java.util.List;

class GeometryTest {
    @Test
    void similarityRecoversAKnownTransform() {
        double a = 0.8 * Math.cos(0.3);
        double b = 0.8 * Math.sin(0.3);
        float[] src = new float[10];
        double[] dst = new double[10];
        double[][] pts = {{10, 20}, {50, 22}, {30, 40}, {15, 60}, {45, 61}};
        for (int i = 0; i < 5; i++) {
            src[2 * i] = (float) pts[i][0];
            src[2 * i + 1] = (float) pts[i][1];
            dst[2 * i] = a * pts[i][0] - b * pts[i][1] + 7;
            dst[2 * i + 1] = b * pts[i][0] + a * pts[i][1] - 3;
        }
        double[] t = Alignment.similarity(src, dst);
        assertThat(t[0]).isCloseTo(a, within(1e-4));
        assertThat(t[1]).isCloseTo(b, within(1e-4));
        assertThat(t[2]).isCloseTo(7, within(1e-3));
        assertThat(t[3]).isCloseTo(-3, within(1e-3));
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxesAndDropsContainedPartials() {
        Detection best = new Detection(new FaceBox(0, 0, 100, 100), 0.99f);
        Detection overlap = new Detection(new FaceBox(10, 10, 110, 110), 0.9f);
        Detection partial = new Detection(new FaceBox(0, 0, 40, 100), 0.95f);
        Detection elsewhere = new Detection(new FaceBox(300, 300, 380, 380), 0.8f);
        assertThat(FaceDetector.nms(List.of(overlap, partial, elsewhere, best), 0.3f))
                .containsExactly(best, elsewhere);
    }

    @Test
    void tilingCoversTheFrameWithOverlapAndStartsWithTheWholeFrame() {
        List<int[]> r = Tiling.parse("2x2").regions(1280, 720);
        assertThat(r).hasSize(5);
        assertThat(r.get(0)).containsExactly(0, 0, 1280, 720);
        assertThat(r.get(1)[2]).isGreaterThan(640);
        assertThat(Tiling.OFF.regions(1920, 1080)).hasSize(1);
        assertThat(Tiling.AUTO.regions(640, 480)).hasSize(1);
        assertThat(Tiling.AUTO.regions(1920, 1080)).hasSize(7);
    }
}
