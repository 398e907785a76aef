package io.vigil.api.watchlist;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Ids;
import io.vigil.api.Text;
import io.vigil.api.face.EmbedderModel;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A person on the watchlist, the value on the compacted {@code watchlist} topic (key = person id; a tombstone removes).
 *
 * @param personId    the person's id
 * @param displayName shown in alerts
 * @param embeddings  one or more L2-normalised face embeddings, all of one dimension
 * @param threshold   this person's cosine threshold, or null for the matcher's global one
 * @param metadata    free-form operator data, carried into alerts' consumers by id lookup only
 * @param enrolledAtMs when enrolled, epoch milliseconds
 * @param model       the {@link EmbedderModel} identity of the embedder that made the embeddings; null in entries
 *                    from before it was recorded, which stand for {@link EmbedderModel#BUNDLED}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchlistEntry(
        String personId,
        String displayName,
        List<float[]> embeddings,
        Double threshold,
        Map<String, String> metadata,
        long enrolledAtMs,
        String model) {
    /** Most embeddings one person may have. */
    public static final int MAX_EMBEDDINGS = 64;
    /** Largest embedding dimension accepted. */
    public static final int MAX_DIMENSION = 4096;
    /** How far from 1 an embedding's length may be: enrolment writes unit vectors. */
    public static final double NORM_TOLERANCE = 0.01;

    private static final int MAX_METADATA = 32;

    /** An entry that does not name its embedder (taken as the bundled one). */
    public WatchlistEntry(
            String personId,
            String displayName,
            List<float[]> embeddings,
            Double threshold,
            Map<String, String> metadata,
            long enrolledAtMs) {
        this(personId, displayName, embeddings, threshold, metadata, enrolledAtMs, null);
    }

    public WatchlistEntry {
        Ids.require("person id", personId);
        if (model != null) {
            EmbedderModel.require("the model of person '" + personId + "'", model);
        }
        if (displayName == null || displayName.isBlank()) {
            displayName = personId;
        }
        String nameProblem = Text.problem("display name of '" + personId + "'", displayName);
        if (nameProblem != null) {
            throw new IllegalArgumentException(nameProblem);
        }
        if (embeddings == null || embeddings.isEmpty()) {
            throw new IllegalArgumentException(
                    "person '" + personId + "' has no embedding; enrol at least one face image");
        }
        if (embeddings.size() > MAX_EMBEDDINGS) {
            throw new IllegalArgumentException(
                    "person '" + personId + "' has " + embeddings.size() + " embeddings; at most " + MAX_EMBEDDINGS);
        }
        int dim = embeddings.get(0) == null ? 0 : embeddings.get(0).length;
        if (dim == 0 || dim > MAX_DIMENSION) {
            throw new IllegalArgumentException("person '" + personId + "' has an embedding of dimension " + dim
                    + "; expected 1 to " + MAX_DIMENSION);
        }
        for (float[] e : embeddings) {
            if (e == null || e.length != dim) {
                throw new IllegalArgumentException("person '" + personId + "' has embeddings of different dimensions ("
                        + dim + " and " + (e == null ? 0 : e.length) + "); enrol all images with the same model");
            }
            double norm = 0;
            for (float v : e) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("person '" + personId + "' has a non-finite embedding value");
                }
                norm += (double) v * v;
            }
            norm = Math.sqrt(norm);
            if (Math.abs(norm - 1) > NORM_TOLERANCE) {
                throw new IllegalArgumentException("person '" + personId + "' has an embedding of length "
                        + String.format(Locale.ROOT, "%.3f", norm)
                        + "; embeddings must be unit vectors (enrol with vigil watchlist add)");
            }
        }
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " for person '" + personId
                    + "' is out of range; use a cosine similarity between 0 and 1 (exclusive), e.g. 0.42");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (metadata.size() > MAX_METADATA) {
            throw new IllegalArgumentException(
                    "person '" + personId + "' has " + metadata.size() + " metadata entries; at most " + MAX_METADATA);
        }
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            String p = Ids.problem("metadata key", m.getKey());
            p = p != null ? p : Text.problem("metadata value of " + m.getKey(), m.getValue());
            if (p != null) {
                throw new IllegalArgumentException("person '" + personId + "': " + p);
            }
        }
        embeddings = List.copyOf(embeddings);
    }

    public int dimension() {
        return embeddings.get(0).length;
    }
}
