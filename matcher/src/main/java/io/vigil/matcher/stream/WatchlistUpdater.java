package io.vigil.matcher.stream;

import io.vigil.api.serde.JsonSerde;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.runtime.kafka.RateLimitedLog;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the global watchlist store and the in-memory index in step with the compacted watchlist topic. */
final class WatchlistUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchlistUpdater.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 1000);
    private final Watchlist watchlist;
    private final MatcherMetrics metrics;
    private final JsonSerde<WatchlistEntry> serde = new JsonSerde<>(WatchlistEntry.class);
    private KeyValueStore<String, WatchlistEntry> store;

    WatchlistUpdater(Watchlist watchlist, MatcherMetrics metrics) {
        this.watchlist = watchlist;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(MatcherTopology.WATCHLIST_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String personId = record.key();
        if (personId == null) {
            metrics.invalidWatchlist.increment();
            warn.warn("null-key", "Skipped a watchlist record without a key");
            return;
        }
        synchronized (watchlist) {
            if (record.value() == null) {
                store.delete(personId);
                watchlist.remove(personId);
                LOG.info("Watchlist: removed {}", personId);
                return;
            }
            WatchlistEntry entry;
            try {
                entry = serde.decode(record.value());
                if (!entry.personId().equals(personId)) {
                    throw new WireFormatException("record key '" + personId + "' differs from its personId '"
                            + entry.personId() + "'");
                }
                watchlist.put(entry); // the index refuses a dimension that differs from the watchlist's
            } catch (WireFormatException | IllegalArgumentException e) {
                metrics.invalidWatchlist.increment();
                warn.warn("invalid", "Skipped invalid watchlist record for {}: {}; re-enrol with the model inference uses",
                        personId, e.getMessage());
                return;
            }
            store.put(personId, entry);
            LOG.info("Watchlist: enrolled {} with {} embedding(s)", personId, entry.embeddings().size());
        }
    }
}
