package io.vigil.inference.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.face.FaceBox;
import io.vigil.api.frame.Motion;
import org.junit.jupiter.api.Test;

import java.util.List;

class MotionAreasTest {
    private static Motion grid(int[]... cells) {
        long[] bits = new long[Motion.words(16, 9)];
        for (int[] c : cells) {
            int i = c[1] * 16 + c[0];
            bits[i >>> 6] |= 1L << (i & 63);
        }
        return new Motion(false, 16, 9, bits);
    }

    @Test
    void fullPassesAndUnmeasuredFramesAreExaminedWhole() {
        assertThat(MotionAreas.of(Motion.UNMEASURED, 1280, 720, 1)).isNull();
        assertThat(MotionAreas.of(new Motion(true, 16, 9, new long[3]), 1280, 720, 1))
                .isNull();
    }

    @Test
    void oneMovedCellBecomesOneFourByThreeAreaAroundIt() {
        List<int[]> areas = MotionAreas.of(grid(new int[] {5, 4}), 1280, 720, 1);
        assertThat(areas).hasSize(1);
        int[] a = areas.get(0);
        // cells 4-6 x 3-5 = x 320-560, y 240-480; grown to 4:3 around its centre (440, 360)
        assertThat(a[0]).isLessThanOrEqualTo(320);
        assertThat(a[0] + a[2]).isGreaterThanOrEqualTo(560);
        assertThat(a[1]).isLessThanOrEqualTo(240);
        assertThat(a[1] + a[3]).isGreaterThanOrEqualTo(480);
        assertThat((double) a[2] / a[3]).isCloseTo(4 / 3.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(a[2] * a[3]).isLessThan(1280 * 720 / 4);
    }

    @Test
    void farApartMotionGivesTwoAreasAndTouchingMotionOne() {
        assertThat(MotionAreas.of(grid(new int[] {1, 4}, new int[] {14, 4}), 1280, 720, 1))
                .hasSize(2);
        assertThat(MotionAreas.of(grid(new int[] {5, 4}, new int[] {7, 4}), 1280, 720, 1))
                .hasSize(1);
    }

    @Test
    void areasStayInsideTheFrame() {
        for (int[] a : MotionAreas.of(grid(new int[] {0, 0}, new int[] {15, 8}), 1280, 720, 1)) {
            assertThat(a[0]).isNotNegative();
            assertThat(a[1]).isNotNegative();
            assertThat(a[0] + a[2]).isLessThanOrEqualTo(1280);
            assertThat(a[1] + a[3]).isLessThanOrEqualTo(720);
        }
    }

    @Test
    void tellsWhetherTheCellsUnderABoxMoved() {
        Motion m = grid(new int[] {5, 4});
        assertThat(MotionAreas.changedUnder(m, new FaceBox(400, 320, 470, 400), 1280, 720))
                .isTrue();
        assertThat(MotionAreas.changedUnder(m, new FaceBox(900, 320, 970, 400), 1280, 720))
                .isFalse();
        assertThat(MotionAreas.changedUnder(Motion.UNMEASURED, new FaceBox(400, 320, 470, 400), 1280, 720))
                .isFalse();
    }

    @Test
    void motionAlmostEverywhereIsExaminedWhole() {
        int[][] all = new int[60][];
        for (int i = 0; i < 60; i++) {
            all[i] = new int[] {i % 16, i / 16 * 2};
        }
        assertThat(MotionAreas.of(grid(all), 1280, 720, 1)).isNull();
    }
}
