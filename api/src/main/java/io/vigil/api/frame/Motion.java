package io.vigil.api.frame;

import java.util.Arrays;

/**
 * Where a frame changed since the camera's previous sampled frame, as ingest measured it on a small grey copy: a grid
 * of {@code cols x rows} cells over the frame, one bit per cell (row-major), set where something moved. A frame marked
 * {@link #fullPass()} asks inference to examine all of it (the periodic pass that finds people who stand still, and
 * every frame whose motion was not measured); otherwise only the moving cells, with a margin, need examining.
 *
 * @param fullPass examine the whole frame
 * @param cols     grid columns, 0 when no grid was measured
 * @param rows     grid rows, 0 when no grid was measured
 * @param cells    {@code ceil(cols * rows / 64)} words of cell bits, bit {@code i % 64} of word {@code i / 64} for
 *                 cell {@code i = row * cols + col}
 */
public record Motion(boolean fullPass, int cols, int rows, long[] cells) {
    /** Largest grid side. */
    public static final int MAX_SIDE = 64;
    /** Motion not measured (gating off, or a frame written before frames carried it): examine the whole frame. */
    public static final Motion UNMEASURED = new Motion(true, 0, 0, new long[0]);

    public Motion {
        if (cols < 0 || rows < 0 || cols > MAX_SIDE || rows > MAX_SIDE || (cols == 0) != (rows == 0)) {
            throw new IllegalArgumentException("a motion grid is 1x1 to " + MAX_SIDE + "x" + MAX_SIDE
                    + " cells (or 0x0 for none), got " + cols + "x" + rows);
        }
        if (cells == null || cells.length != words(cols, rows)) {
            throw new IllegalArgumentException(
                    "a " + cols + "x" + rows + " motion grid needs " + words(cols, rows) + " words of cell bits");
        }
        int bits = cols * rows;
        if (bits % 64 != 0 && cells.length > 0 && cells[cells.length - 1] >>> (bits % 64) != 0) {
            throw new IllegalArgumentException("a motion grid has bits set beyond its " + bits + " cells");
        }
        if (!fullPass && bits == 0) {
            throw new IllegalArgumentException("a frame that is not a full pass needs a motion grid");
        }
        cells = cells.clone();
    }

    /** Words needed for a grid's bits. */
    public static int words(int cols, int rows) {
        return (cols * rows + 63) / 64;
    }

    public boolean moved(int col, int row) {
        int i = row * cols + col;
        return (cells[i >>> 6] >>> (i & 63) & 1) != 0;
    }

    /** How many cells moved. */
    public int movedCells() {
        int n = 0;
        for (long w : cells) {
            n += Long.bitCount(w);
        }
        return n;
    }

    @Override
    public long[] cells() {
        return cells.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Motion m
                && fullPass == m.fullPass
                && cols == m.cols
                && rows == m.rows
                && Arrays.equals(cells, m.cells);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(fullPass) + 31 * (cols + 31 * (rows + 31 * Arrays.hashCode(cells)));
    }

    @Override
    public String toString() {
        return fullPass
                ? "Motion[full pass, " + movedCells() + " cells moved]"
                : "Motion[" + movedCells() + " of " + cols * rows + " cells moved]";
    }
}
