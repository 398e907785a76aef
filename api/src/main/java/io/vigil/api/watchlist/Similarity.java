package io.vigil.api.watchlist;

/** Face similarity conventions shared by enrolment, matching and the face commands. */
public final class Similarity {
    /**
     * Default cosine threshold for a match with the bundled embedder. Measured on the johns-dev photos: lowest
     * same-person pair 0.66, highest different-person pair 0.26.
     */
    public static final double DEFAULT_THRESHOLD = 0.40;

    private Similarity() {}
}
