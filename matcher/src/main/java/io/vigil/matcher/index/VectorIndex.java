package io.vigil.matcher.index;

/**
 * Nearest-person search over L2-normalised embeddings. A person may have several embeddings; their score for a query
 * is the best of them. Implementations are safe for one writer and many concurrent readers.
 */
public interface VectorIndex {
    /** Adds or replaces a person's embeddings. */
    void upsert(String personId, float[][] embeddings);

    /** Removes a person; unknown ids are ignored. */
    void remove(String personId);

    /** The best person for {@code query}, or null when the index is empty. */
    Match search(float[] query);

    /** People in the index. */
    int size();

    /** Embeddings in the index (a person may have several). */
    int rows();

    /** The embedding dimension, or 0 when empty. */
    int dimension();
}
