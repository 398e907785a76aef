package io.vigil.inference.face;

import io.vigil.api.face.FaceBox;
import io.vigil.inference.model.OnnxModel;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** UltraFace detector over whole frames and tiles, batched across frames; NMS merges tiles and frame. */
public final class FaceDetector {
    static final int W = 320;
    static final int H = 240;
    private final OnnxModel model;
    private final Tiling tiling;
    private final float scoreThreshold;
    private final float nmsIou;
    private final int maxBatch;

    public FaceDetector(OnnxModel model, Tiling tiling, float scoreThreshold, float nmsIou, int maxBatch) {
        this.model = model;
        this.tiling = tiling;
        this.scoreThreshold = scoreThreshold;
        this.nmsIou = nmsIou;
        this.maxBatch = maxBatch;
    }

    private record Region(int image, int[] rect) {}

    private int lastRegions;

    /** Detector runs (areas and their tiles) of the last call. */
    public int lastRegions() {
        return lastRegions;
    }

    /**
     * Faces of each image within its areas ({x, y, w, h} rectangles; null = the whole image), best first. Each area
     * is examined like a frame of its size: whole, plus tiles when it is large.
     */
    public List<List<Detection>> detect(List<Mat> images, List<List<int[]>> areas) {
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            List<int[]> of = areas.get(i);
            if (of == null) {
                of = List.of(
                        new int[] {0, 0, images.get(i).cols(), images.get(i).rows()});
            }
            for (int[] a : of) {
                for (int[] r : tiling.regions(a[2], a[3])) {
                    regions.add(new Region(i, new int[] {a[0] + r[0], a[1] + r[1], r[2], r[3]}));
                }
            }
        }
        lastRegions = regions.size();
        List<List<Detection>> raw = new ArrayList<>();
        images.forEach(m -> raw.add(new ArrayList<>()));
        int per = model.sampleSize();
        for (int start = 0; start < regions.size(); start += maxBatch) {
            int n = Math.min(maxBatch, regions.size() - start);
            float[] input = new float[n * per];
            for (int k = 0; k < n; k++) {
                Region reg = regions.get(start + k);
                int[] r = reg.rect;
                try (Mat roi = Images.crop(images.get(reg.image), r[0], r[1], r[0] + r[2], r[1] + r[3])) {
                    input(roi, input, k * per);
                }
            }
            float[][] out = model.run(input, n);
            decode(out[0], out[1], n, regions.subList(start, start + n), raw);
        }
        List<List<Detection>> result = new ArrayList<>();
        for (List<Detection> d : raw) {
            result.add(nms(d, nmsIou));
        }
        return result;
    }

    /** The detector's input for one region of an image: resized to 320x240, planar RGB, at {@code into[off]}. */
    public static void input(Mat region, float[] into, int off) {
        try (Mat small = Images.resized(region, W, H)) {
            Images.toPlanar(Images.pixels(small), W * H, true, into, off);
        }
    }

    private void decode(float[] scores, float[] boxes, int n, List<Region> regions, List<List<Detection>> out) {
        int anchors = scores.length / n / 2;
        for (int k = 0; k < n; k++) {
            int[] r = regions.get(k).rect;
            for (int a = 0; a < anchors; a++) {
                float s = scores[(k * anchors + a) * 2 + 1];
                if (s < scoreThreshold) {
                    continue;
                }
                int b = (k * anchors + a) * 4;
                out.get(regions.get(k).image)
                        .add(new Detection(
                                new FaceBox(
                                        r[0] + boxes[b] * r[2], r[1] + boxes[b + 1] * r[3],
                                        r[0] + boxes[b + 2] * r[2], r[1] + boxes[b + 3] * r[3]),
                                s));
            }
        }
    }

    /**
     * Greedy NMS: keeps the best box, drops those overlapping it by IoU, or mostly contained in it (a tile's partial
     * view of a face the whole frame or another tile saw whole).
     */
    static List<Detection> nms(List<Detection> in, float iou) {
        List<Detection> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean keep = true;
            for (Detection k : kept) {
                if (d.box().iou(k.box()) > iou || containment(d.box(), k.box()) > 0.7f) {
                    keep = false;
                    break;
                }
            }
            if (keep) {
                kept.add(d);
            }
        }
        return kept;
    }

    private static float containment(FaceBox a, FaceBox b) {
        float ix = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
        float iy = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
        float smaller = Math.min(a.area(), b.area());
        return smaller <= 0 ? 0 : ix * iy / smaller;
    }
}
