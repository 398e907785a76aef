package io.vigil.api.face;

import io.vigil.api.Ids;

import java.util.List;

/**
 * The faces found in one frame, published by inference on the {@code faces} topic (key = camera id). A frame with
 * no face is still published (with an empty list) so that downstream lag and throughput reflect every frame.
 *
 * @param cameraId      the camera
 * @param sequence      the frame's sequence number
 * @param captureTimeMs the frame's capture time, epoch milliseconds
 * @param processedAtMs when inference finished this frame, epoch milliseconds
 * @param frameWidth    the frame's pixel width
 * @param frameHeight   the frame's pixel height
 * @param faces         the faces, possibly empty
 * @param framePartition the frames topic partition of the frame, or -1 when not known
 * @param frameOffset   the frame's offset there, or -1
 * @param model         the {@link EmbedderModel} identity of the embedder that made the faces' embeddings, or null
 *                      when not known (inference before it said, taken as {@link EmbedderModel#BUNDLED})
 */
public record FrameFaces(
        String cameraId,
        long sequence,
        long captureTimeMs,
        long processedAtMs,
        int frameWidth,
        int frameHeight,
        List<Face> faces,
        int framePartition,
        long frameOffset,
        String model) {
    /** Faces whose embedder is not named. */
    public FrameFaces(
            String cameraId,
            long sequence,
            long captureTimeMs,
            long processedAtMs,
            int frameWidth,
            int frameHeight,
            List<Face> faces,
            int framePartition,
            long frameOffset) {
        this(
                cameraId,
                sequence,
                captureTimeMs,
                processedAtMs,
                frameWidth,
                frameHeight,
                faces,
                framePartition,
                frameOffset,
                null);
    }

    /** Faces of a frame whose place on the frames topic is not known. */
    public FrameFaces(
            String cameraId,
            long sequence,
            long captureTimeMs,
            long processedAtMs,
            int frameWidth,
            int frameHeight,
            List<Face> faces) {
        this(cameraId, sequence, captureTimeMs, processedAtMs, frameWidth, frameHeight, faces, -1, -1, null);
    }

    /** Whether the record says where its frame is on the frames topic. */
    public boolean locatesFrame() {
        return framePartition >= 0 && frameOffset >= 0;
    }

    public FrameFaces {
        if (framePartition < -1 || frameOffset < -1) {
            throw new IllegalArgumentException("frame partition and offset must be -1 (unknown) or not negative");
        }
        Ids.require("camera id", cameraId);
        if (frameWidth <= 0 || frameHeight <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + frameWidth + "x" + frameHeight);
        }
        faces = List.copyOf(faces);
        if (model != null) {
            EmbedderModel.require("the faces' embedder model", model);
        }
    }
}
