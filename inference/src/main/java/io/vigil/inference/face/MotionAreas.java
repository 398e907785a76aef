package io.vigil.inference.face;

import io.vigil.api.face.FaceBox;
import io.vigil.api.frame.Motion;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a frame's motion grid into the areas the detector examines: the moved cells, grown by a margin of cells (a
 * moving face changes mostly at its edges, and part of it may sit in cells that did not change), joined where they
 * touch, each widened to the detector's 4:3 shape (so faces are not squashed when resized to its input) and to at
 * least a quarter of the frame's height, then joined again where they overlap.
 */
public final class MotionAreas {
    /** Above this share of the frame, the areas are examined as one whole frame. */
    static final double WHOLE_FRAME_SHARE = 0.6;

    private MotionAreas() {}

    /** Areas {x, y, w, h} in frame pixels; null = examine the whole frame. */
    public static List<int[]> of(Motion motion, int width, int height, int marginCells) {
        if (motion.fullPass() || motion.cols() == 0) {
            return null;
        }
        int cols = motion.cols();
        int rows = motion.rows();
        boolean[] grown = new boolean[cols * rows];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                if (!motion.moved(x, y)) {
                    continue;
                }
                for (int gy = Math.max(0, y - marginCells); gy <= Math.min(rows - 1, y + marginCells); gy++) {
                    for (int gx = Math.max(0, x - marginCells); gx <= Math.min(cols - 1, x + marginCells); gx++) {
                        grown[gy * cols + gx] = true;
                    }
                }
            }
        }
        List<int[]> areas = new ArrayList<>();
        boolean[] seen = new boolean[grown.length];
        int[] stack = new int[grown.length];
        for (int start = 0; start < grown.length; start++) {
            if (!grown[start] || seen[start]) {
                continue;
            }
            // one connected group of cells (8-neighbours): its bounding cells
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int x1 = cols;
            int y1 = rows;
            int x2 = -1;
            int y2 = -1;
            while (top > 0) {
                int c = stack[--top];
                int cx = c % cols;
                int cy = c / cols;
                x1 = Math.min(x1, cx);
                y1 = Math.min(y1, cy);
                x2 = Math.max(x2, cx);
                y2 = Math.max(y2, cy);
                for (int ny = Math.max(0, cy - 1); ny <= Math.min(rows - 1, cy + 1); ny++) {
                    for (int nx = Math.max(0, cx - 1); nx <= Math.min(cols - 1, cx + 1); nx++) {
                        int n = ny * cols + nx;
                        if (grown[n] && !seen[n]) {
                            seen[n] = true;
                            stack[top++] = n;
                        }
                    }
                }
            }
            int px1 = (int) Math.floor((double) x1 * width / cols);
            int py1 = (int) Math.floor((double) y1 * height / rows);
            int px2 = (int) Math.ceil((double) (x2 + 1) * width / cols);
            int py2 = (int) Math.ceil((double) (y2 + 1) * height / rows);
            areas.add(shaped(px1, py1, px2 - px1, py2 - py1, width, height));
        }
        areas = joined(areas, width, height);
        long total = 0;
        for (int[] a : areas) {
            total += (long) a[2] * a[3];
        }
        return total > WHOLE_FRAME_SHARE * width * height ? null : areas;
    }

    /** Whether any cell under the box moved; false when the frame's motion was not measured. */
    public static boolean changedUnder(Motion motion, FaceBox box, int width, int height) {
        if (motion.cols() == 0) {
            return false;
        }
        int x1 = Math.max(0, (int) Math.floor(box.x1() * motion.cols() / width));
        int y1 = Math.max(0, (int) Math.floor(box.y1() * motion.rows() / height));
        int x2 = Math.min(motion.cols() - 1, (int) Math.floor(box.x2() * motion.cols() / width));
        int y2 = Math.min(motion.rows() - 1, (int) Math.floor(box.y2() * motion.rows() / height));
        for (int y = y1; y <= y2; y++) {
            for (int x = x1; x <= x2; x++) {
                if (motion.moved(x, y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The area grown (about its centre, kept inside the frame) to 4:3 and to a quarter of the frame's height. */
    static int[] shaped(int x, int y, int w, int h, int width, int height) {
        int minH = Math.min(height, Math.max(h, height / 4));
        int nh = Math.max(minH, (int) Math.ceil(w * 3 / 4.0));
        int nw = Math.max(w, (int) Math.ceil(nh * 4 / 3.0));
        nw = Math.min(nw, width);
        nh = Math.min(nh, height);
        int nx = Math.max(0, Math.min(width - nw, x + w / 2 - nw / 2));
        int ny = Math.max(0, Math.min(height - nh, y + h / 2 - nh / 2));
        return new int[] {nx, ny, nw, nh};
    }

    /** Overlapping areas merged (and re-shaped) until none overlap. */
    private static List<int[]> joined(List<int[]> areas, int width, int height) {
        List<int[]> out = new ArrayList<>(areas);
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < out.size(); i++) {
                for (int j = i + 1; j < out.size(); j++) {
                    int[] a = out.get(i);
                    int[] b = out.get(j);
                    if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) {
                        int x1 = Math.min(a[0], b[0]);
                        int y1 = Math.min(a[1], b[1]);
                        int x2 = Math.max(a[0] + a[2], b[0] + b[2]);
                        int y2 = Math.max(a[1] + a[3], b[1] + b[3]);
                        out.remove(j);
                        out.set(i, shaped(x1, y1, x2 - x1, y2 - y1, width, height));
                        merged = true;
                        break outer;
                    }
                }
            }
        }
        return out;
    }
}
