package io.vigil.matcher.stream;

import io.vigil.api.face.EmbedderModel;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.MatcherConfig;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Locale;

/**
 * What the matcher accepts on the watchlist, checked where it is read (from the topic and from the local store):
 * a readable entry (unit-length embeddings, see {@link WatchlistEntry}) under its own person id, with embeddings of the
 * matcher's model and its dimension, and a threshold no lower than the floor. Anything else could outrank every real person or match
 * every face, so it is refused with a reason.
 */
final class WatchlistRules {
    private final MatcherConfig config;
    private final Deserializer<WatchlistEntry> entries;

    /** An accepted entry, or the reason and detail of a refusal. */
    record Verdict(WatchlistEntry entry, String reason, String detail) {
        boolean accepted() {
            return entry != null;
        }
    }

    WatchlistRules(MatcherConfig config, Deserializer<WatchlistEntry> entries) {
        this.config = config;
        this.entries = entries;
    }

    Verdict check(String personId, byte[] value) {
        WatchlistEntry e;
        try {
            e = entries.deserialize(null, value);
        } catch (WireFormatException ex) {
            return refuse("invalid-watchlist", ex.getMessage());
        }
        if (!e.personId().equals(personId)) {
            return refuse(
                    "key-mismatch", "record key '" + personId + "' differs from its personId '" + e.personId() + "'");
        }
        if (e.dimension() != config.dimension()) {
            return refuse(
                    "dimension-mismatch",
                    "person '" + personId + "' has " + e.dimension()
                            + "-dimensional embeddings, the model " + config.dimension()
                            + " (VIGIL_MATCHER_EMBEDDING_DIM); re-enrol with the model inference uses");
        }
        String model = EmbedderModel.effective(e.model());
        if (!model.equals(config.model())) {
            return refuse(
                    "model-mismatch",
                    "person '" + personId + "' was enrolled with embedder " + model + ", the matcher compares faces of "
                            + config.model() + " (VIGIL_MATCHER_MODEL); embeddings of two models are not comparable:"
                            + " embed the person again with the embedder inference runs (vigil watchlist reenrol)");
        }
        if (e.threshold() != null && e.threshold() < config.thresholdFloor()) {
            return refuse(
                    "threshold-below-floor",
                    String.format(
                            Locale.ROOT,
                            "person '%s' has threshold %.4f, below"
                                    + " the floor %.2f (VIGIL_MATCHER_THRESHOLD_FLOOR); it would match strangers",
                            personId,
                            e.threshold(),
                            config.thresholdFloor()));
        }
        return new Verdict(e, null, null);
    }

    private static Verdict refuse(String reason, String detail) {
        return new Verdict(null, reason, detail);
    }
}
