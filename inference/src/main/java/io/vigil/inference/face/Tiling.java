package io.vigil.inference.face;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Detection regions of a frame: always the whole frame (big faces), plus an overlapping grid of tiles for frames
 * large enough that a single 320x240 pass would shrink distant faces below what the detector sees.
 *
 * @param cols     tile columns; 0 = automatic (by frame width), 1 with rows 1 = no tiling
 * @param rows     tile rows; 0 = automatic
 * @param overlap  fraction each tile extends into its neighbours, so a face on a border is whole in some tile
 */
public record Tiling(int cols, int rows, double overlap) {
    public static final Tiling AUTO = new Tiling(0, 0, 0.25);
    public static final Tiling OFF = new Tiling(1, 1, 0);

    /** Parses {@code auto}, {@code off} or {@code CxR} such as {@code 2x2}. */
    public static Tiling parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return AUTO;
        }
        if (v.equals("off") || v.equals("1x1")) {
            return OFF;
        }
        String[] p = v.split("x");
        if (p.length == 2) {
            int c = Integer.parseInt(p[0]);
            int r = Integer.parseInt(p[1]);
            if (c >= 1 && c <= 8 && r >= 1 && r <= 8) {
                return new Tiling(c, r, 0.25);
            }
        }
        throw new IllegalArgumentException(
                "tiling '" + s + "' is invalid; use auto, off, or a grid such as 2x2 (up to 8x8)");
    }

    /** Rectangles {x, y, w, h} to run the detector on, the whole frame first. */
    public List<int[]> regions(int width, int height) {
        int c = cols;
        int r = rows;
        if (c == 0) {
            c = width >= 1600 ? 3 : width >= 900 ? 2 : 1;
            r = height >= 1200 ? 3 : height >= 650 ? 2 : 1;
        }
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {0, 0, width, height});
        if (c == 1 && r == 1) {
            return out;
        }
        double tw = (double) width / c;
        double th = (double) height / r;
        for (int j = 0; j < r; j++) {
            for (int i = 0; i < c; i++) {
                int x1 = (int) Math.max(0, i * tw - tw * overlap);
                int y1 = (int) Math.max(0, j * th - th * overlap);
                int x2 = (int) Math.min(width, (i + 1) * tw + tw * overlap);
                int y2 = (int) Math.min(height, (j + 1) * th + th * overlap);
                out.add(new int[] {x1, y1, x2 - x1, y2 - y1});
            }
        }
        return out;
    }
}
