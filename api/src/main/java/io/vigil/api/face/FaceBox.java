package io.vigil.api.face;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An axis-aligned box in frame pixels: (x1, y1) top-left, (x2, y2) bottom-right. */
public record FaceBox(
        @JsonProperty("x1") float x1,
        @JsonProperty("y1") float y1,
        @JsonProperty("x2") float x2,
        @JsonProperty("y2") float y2) {
    /** True when every coordinate is a finite number. */
    public boolean finite() {
        return Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(x2) && Float.isFinite(y2);
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    /** Intersection over union with another box; 0 when they do not overlap. */
    public float iou(FaceBox o) {
        float ix = Math.max(0, Math.min(x2, o.x2) - Math.max(x1, o.x1));
        float iy = Math.max(0, Math.min(y2, o.y2) - Math.max(y1, o.y1));
        float inter = ix * iy;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
