package io.vigil.api.frame;

import io.vigil.api.Ids;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled video frame, JPEG-encoded, as published by ingest on the {@code frames} topic (key = camera id).
 *
 * @param cameraId      the camera that captured it
 * @param sequence      per-camera sequence number of published frames, restarting at 0 when the camera restarts
 * @param captureTimeMs wall-clock capture time in epoch milliseconds (stream timestamp anchored at connect time)
 * @param width         pixel width of the JPEG
 * @param height        pixel height of the JPEG
 * @param jpeg          the encoded image
 * @param motion        where it changed since the camera's previous sampled frame, or {@link Motion#UNMEASURED}
 */
public record Frame(
        String cameraId, long sequence, long captureTimeMs, int width, int height, byte[] jpeg, Motion motion) {
    /** A frame whose motion was not measured: inference examines all of it. */
    public Frame(String cameraId, long sequence, long captureTimeMs, int width, int height, byte[] jpeg) {
        this(cameraId, sequence, captureTimeMs, width, height, jpeg, Motion.UNMEASURED);
    }

    public Frame {
        Ids.require("camera id", cameraId);
        Objects.requireNonNull(jpeg, "jpeg");
        Objects.requireNonNull(motion, "motion");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && cameraId.equals(f.cameraId)
                && sequence == f.sequence
                && captureTimeMs == f.captureTimeMs
                && width == f.width
                && height == f.height
                && Arrays.equals(jpeg, f.jpeg)
                && motion.equals(f.motion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cameraId, sequence, captureTimeMs, width, height) * 31 + Arrays.hashCode(jpeg);
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + "#" + sequence + " " + width + "x" + height + " at " + captureTimeMs + ", "
                + jpeg.length + " B, " + motion + "]";
    }
}
