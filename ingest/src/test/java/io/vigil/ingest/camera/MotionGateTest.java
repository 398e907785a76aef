package io.vigil.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.vigil.api.frame.Motion;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/** The gate on 1280x720 frames with sensor-like noise and a real face photo that moves across them. */
class MotionGateTest {
    private static final Path FACE = Path.of("src/test/resources/john_simm.jpg");

    @Test
    void aStillNoisySceneIsGatedUntilTheFullPassIsDue() {
        MotionGate gate = new MotionGate(new MotionGate.Settings(true, 10, Duration.ofSeconds(2)));
        assertThat(gate.check(scene(-1, 1), 0).fullPass())
                .as("the first frame is a full pass")
                .isTrue();
        for (int i = 1; i < 10; i++) {
            assertThat(gate.check(scene(-1, 100 + i), i * 200L))
                    .as("frame %d: noise alone is not motion", i)
                    .isNull();
        }
        Motion due = gate.check(scene(-1, 200), 2_000);
        assertThat(due.fullPass()).isTrue();
        assertThat(due.movedCells()).isZero();
    }

    @Test
    void aMovingFaceMarksTheCellsItLeftAndEntered() {
        MotionGate gate = new MotionGate(new MotionGate.Settings(true, 10, Duration.ofSeconds(30)));
        gate.check(scene(200, 1), 0);
        Motion m = gate.check(scene(260, 2), 200);
        assertThat(m).isNotNull();
        assertThat(m.fullPass()).isFalse();
        assertThat(m.cols()).isEqualTo(16);
        assertThat(m.rows()).isEqualTo(9);
        // the face spans x 200-560 (cells 2-7) and y 180-540 (rows 2-6); it moved 60 px right
        assertThat(m.moved(2, 4)).as("where it left").isTrue();
        assertThat(m.moved(7, 4)).as("where it arrived").isTrue();
        assertThat(m.moved(14, 4)).as("far right of the frame").isFalse();
        assertThat(m.moved(4, 0)).as("above the face").isFalse();
        assertThat(m.movedCells()).isBetween(4, 40);
    }

    @Test
    void offPublishesEveryFrameUnmeasured() {
        MotionGate gate = new MotionGate(MotionGate.Settings.OFF);
        assertThat(gate.check(scene(-1, 1), 0)).isEqualTo(Motion.UNMEASURED);
        assertThat(gate.check(scene(-1, 2), 200)).isEqualTo(Motion.UNMEASURED);
    }

    @Test
    void aClockGoingBackStartsAFullPass() {
        MotionGate gate = new MotionGate(new MotionGate.Settings(true, 10, Duration.ofSeconds(30)));
        gate.check(scene(-1, 1), 10_000);
        assertThat(gate.check(scene(-1, 2), 10_200)).isNull();
        assertThat(gate.check(scene(-1, 3), 400).fullPass()).isTrue();
    }

    /** A grey 1280x720 scene with gaussian noise (sd 3), and the face photo 360 px tall at x when x >= 0. */
    private static Mat scene(int x, long seed) {
        Mat canvas = new Mat(720, 1280, CV_8UC3, new Scalar(90, 100, 110, 0));
        if (x >= 0) {
            try (Mat face = imread(FACE.toString(), IMREAD_COLOR);
                    Mat scaled = new Mat()) {
                resize(face, scaled, new Size(360 * face.cols() / face.rows(), 360));
                try (Mat roi = new Mat(canvas, new Rect(x, 180, scaled.cols(), 360))) {
                    scaled.copyTo(roi);
                }
            }
        }
        byte[] px = new byte[720 * 1280 * 3];
        canvas.data().get(px);
        Random random = new Random(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xff) + (int) Math.round(random.nextGaussian() * 3)));
        }
        canvas.data().put(px);
        return canvas;
    }
}
