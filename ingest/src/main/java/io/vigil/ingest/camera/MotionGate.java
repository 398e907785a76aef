package io.vigil.ingest.camera;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.vigil.api.frame.Motion;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.time.Duration;

/**
 * Decides, per sampled frame of one camera, whether it goes on to inference: a frame is published when something
 * moved since the previous sampled frame, or when the periodic full pass is due (so a person standing still is
 * still seen); every other frame stops here, before its JPEG is encoded.
 *
 * <p>The measure is cheap on purpose: the frame's grey (the decoder's own luma plane: no colour conversion) is shrunk
 * by area averaging to 4x4 pixels per grid cell, 64x36 for 16:9; a cell moved when at least {@link #MIN_PIXELS} of its 16 pixels differ from the previous
 * frame's by more than the threshold. Averaging 400 pixels into one removes sensor and compression noise (its
 * standard deviation shrinks 20x), while a face crossing the frame changes whole cells by tens of grey levels.
 * Not thread-safe: one gate per camera thread.
 */
public final class MotionGate {
    /** Small-image pixels per cell side. */
    static final int CELL = 4;
    /** Changed pixels a cell needs to count as moved: one alone is a glitch. */
    static final int MIN_PIXELS = 2;

    /**
     * Motion gating settings.
     *
     * @param enabled   off = every sampled frame is published and examined whole (the behaviour before gating)
     * @param threshold grey levels (0-255) a small-image pixel must change by
     * @param fullPass  how often a frame is published whole whatever moved
     */
    public record Settings(boolean enabled, int threshold, Duration fullPass) {
        public static final Settings DEFAULT = new Settings(true, 10, Duration.ofSeconds(2));
        public static final Settings OFF = new Settings(false, 10, Duration.ofSeconds(2));
    }

    private final Settings settings;
    private byte[] previous;
    private int cols;
    private int rows;
    private long lastFullPassMs = Long.MIN_VALUE;

    public MotionGate(Settings settings) {
        this.settings = settings;
    }

    /** The frame's motion (from its grey or BGR pixels) when it should be published, null when it should stop here. */
    public Motion check(Mat image, long captureMs) {
        if (!settings.enabled()) {
            return Motion.UNMEASURED;
        }
        int c = 16;
        int r = Math.max(1, Math.min(Motion.MAX_SIDE, Math.round(16f * image.rows() / image.cols())));
        byte[] grey = small(image, c * CELL, r * CELL);
        long[] cells = new long[Motion.words(c, r)];
        boolean moved = false;
        if (previous != null && c == cols && r == rows) {
            moved = compare(previous, grey, c, r, settings.threshold(), cells);
        }
        boolean sizeChanged = c != cols || r != rows;
        previous = grey;
        cols = c;
        rows = r;
        boolean due = sizeChanged
                || lastFullPassMs == Long.MIN_VALUE
                || captureMs - lastFullPassMs >= settings.fullPass().toMillis()
                || captureMs < lastFullPassMs; // the stream's clock went back: start over
        if (due) {
            lastFullPassMs = captureMs;
            return new Motion(true, c, r, cells);
        }
        return moved ? new Motion(false, c, r, cells) : null;
    }

    /** Sets the bit of every moved cell; whether any moved. */
    static boolean compare(byte[] before, byte[] after, int cols, int rows, int threshold, long[] cells) {
        int width = cols * CELL;
        boolean any = false;
        for (int cy = 0; cy < rows; cy++) {
            for (int cx = 0; cx < cols; cx++) {
                int changed = 0;
                for (int y = cy * CELL; y < cy * CELL + CELL; y++) {
                    int row = y * width + cx * CELL;
                    for (int x = 0; x < CELL; x++) {
                        int d = (before[row + x] & 0xff) - (after[row + x] & 0xff);
                        if (d > threshold || -d > threshold) {
                            changed++;
                        }
                    }
                }
                if (changed >= MIN_PIXELS) {
                    int i = cy * cols + cx;
                    cells[i >>> 6] |= 1L << (i & 63);
                    any = true;
                }
            }
        }
        return any;
    }

    private static byte[] small(Mat image, int w, int h) {
        try (Mat shrunk = new Mat();
                Mat grey = new Mat()) {
            resize(image, shrunk, new Size(w, h), 0, 0, INTER_AREA);
            Mat one = shrunk;
            if (image.channels() == 3) {
                cvtColor(shrunk, grey, COLOR_BGR2GRAY);
                one = grey;
            }
            byte[] out = new byte[w * h];
            one.data().get(out);
            return out;
        }
    }
}
