package io.vigil.api.watchlist;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Ids;

import java.util.List;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchlistEntry(String personId, String displayName, List<float[]> embeddings, Double threshold,
                             Map<String, String> metadata, long enrolledAtMs) {
    public WatchlistEntry {
        Ids.require("person id", personId);
        if (displayName == null || displayName.isBlank()) {
            displayName = personId;
        }
        if (embeddings == null || embeddings.isEmpty()) {
            throw new IllegalArgumentException("person '" + personId + "' has no embedding; enrol at least one face image");
        }
        int dim = embeddings.get(0).length;
        for (float[] e : embeddings) {
            if (e.length != dim || dim == 0) {
                throw new IllegalArgumentException("person '" + personId + "' has embeddings of different dimensions ("
                        + dim + " and " + e.length + "); enrol all images with the same model");
            }
            for (float v : e) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("person '" + personId + "' has a non-finite embedding value");
                }
            }
        }
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " for person '" + personId
                    + "' is out of range; use a cosine similarity between 0 and 1 (exclusive), e.g. 0.42");
        }
        embeddings = List.copyOf(embeddings);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public int dimension() {
        return embeddings.get(0).length;
    }
}
