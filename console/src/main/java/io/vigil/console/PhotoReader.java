package io.vigil.console;

/**
 * Finds and embeds the face in an uploaded photo, server-side, with the same detector, quality gates and embedder as
 * inference: the console's one need of the models, given to it by the process that runs it (so that the console
 * imports no other stage). Implementations may be called from several request threads.
 */
public interface PhotoReader extends AutoCloseable {
    /**
     * What one photo holds.
     *
     * @param faces      faces that passed the detector's size and score gates
     * @param faceSize   the largest face's smaller side, in pixels (0 when none)
     * @param sharpness  the largest face's sharpness (variance of the Laplacian; 0 when none)
     * @param embedding  the one face's embedding, or null when the photo is not usable
     * @param kept       the face with a margin as a small JPEG (what enrolment keeps), or null
     * @param problem    why the photo is not usable, as a sentence naming the fix; null when it is
     */
    record Reading(int faces, int faceSize, double sharpness, float[] embedding, byte[] kept, String problem) {
        public boolean usable() {
            return problem == null;
        }
    }

    /** Reads {@code photo} (JPEG or PNG bytes whose header was already checked). */
    Reading read(byte[] photo);

    /** The identity of the embedder ({@code sha256:...}), recorded with each embedding. */
    String model();

    @Override
    void close();
}
