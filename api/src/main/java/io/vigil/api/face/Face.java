package io.vigil.api.face;

import java.util.Arrays;
import java.util.Objects;

/**
 * One detected face.
 *
 * @param box        the detection box in frame pixels
 * @param landmarks  five alignment points (left eye, right eye, nose, mouth left, mouth right) as x0,y0..x4,y4
 * @param score      detection confidence 0..1
 * @param embedding  L2-normalised embedding (512 floats with the bundled model)
 * @param thumbnail  a small JPEG of the face crop, for people looking at alerts
 * @param trackId    the camera's track this face belongs to (the same person followed across frames by inference),
 *                   or {@link #NO_TRACK}
 */
public record Face(FaceBox box, float[] landmarks, float score, float[] embedding, byte[] thumbnail, long trackId) {
    public static final int LANDMARK_VALUES = 10;
    /** The face was not tracked. */
    public static final long NO_TRACK = -1;

    /** An untracked face. */
    public Face(FaceBox box, float[] landmarks, float score, float[] embedding, byte[] thumbnail) {
        this(box, landmarks, score, embedding, thumbnail, NO_TRACK);
    }

    public Face {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(thumbnail, "thumbnail");
        if (trackId < NO_TRACK) {
            throw new IllegalArgumentException("a face's track id is -1 (none) or not negative, got " + trackId);
        }
        if (landmarks == null || landmarks.length != LANDMARK_VALUES) {
            throw new IllegalArgumentException("a face needs exactly 5 landmarks (10 values)");
        }
        if (!box.finite()
                || !finite(landmarks)
                || !Float.isFinite(score)
                || embedding.length == 0
                || !finite(embedding)) {
            throw new IllegalArgumentException("a face's box, landmarks, score and embedding must be finite numbers");
        }
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Face f
                && box.equals(f.box)
                && Arrays.equals(landmarks, f.landmarks)
                && Float.compare(score, f.score) == 0
                && Arrays.equals(embedding, f.embedding)
                && Arrays.equals(thumbnail, f.thumbnail)
                && trackId == f.trackId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(box, score) * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "Face[" + box + " score=" + score + " dim=" + embedding.length
                + (trackId == NO_TRACK ? "" : " track=" + trackId) + "]";
    }
}
