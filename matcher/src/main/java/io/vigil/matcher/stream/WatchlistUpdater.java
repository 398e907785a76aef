package io.vigil.matcher.stream;

import io.vigil.runtime.kafka.RateLimitedLog;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the global watchlist store and the in-memory index in step with the compacted watchlist topic. Every record
 * is checked ({@link WatchlistRules}); a refused one is counted, dead-lettered, and removes whatever the person had
 * (the topic's latest value is what counts, and it is not usable).
 */
final class WatchlistUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WatchlistUpdater.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 1000);
    /** What the store holds per person: only that they are enrolled (the embeddings are in the index alone). */
    static final byte[] ENROLLED = {1};

    private final Watchlist watchlist;
    private final WatchlistRules rules;
    private final MatcherMetrics metrics;
    private final WatchlistDeadLetters deadLetters;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    WatchlistUpdater(
            Watchlist watchlist, WatchlistRules rules, MatcherMetrics metrics, WatchlistDeadLetters deadLetters) {
        this.watchlist = watchlist;
        this.rules = rules;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(MatcherTopology.WATCHLIST_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String personId = record.key();
        if (personId != null && personId.startsWith(ErasureTicks.KEY_PREFIX)) {
            return; // a tick that makes the partition's segment roll (see ErasureTicks): not a person
        }
        if (personId == null) {
            refuse(record, "invalid-watchlist", "a watchlist record needs the person id as key");
            return;
        }
        synchronized (watchlist) {
            if (record.value() == null) {
                store.delete(personId);
                watchlist.remove(personId);
                context.recordMetadata().ifPresent(m -> deadLetters.removed(m.partition()));
                LOG.info("Watchlist: removed {}", personId);
                return;
            }
            WatchlistRules.Verdict v = rules.check(personId, record.value());
            if (!v.accepted()) {
                store.delete(personId);
                watchlist.remove(personId);
                refuse(record, v.reason(), v.detail());
                return;
            }
            watchlist.put(v.entry());
            store.put(personId, ENROLLED);
            LOG.info(
                    "Watchlist: enrolled {} with {} embedding(s)",
                    personId,
                    v.entry().embeddings().size());
        }
    }

    private void refuse(Record<String, byte[]> record, String reason, String detail) {
        metrics.invalidWatchlist.increment();
        warn.warn(reason, "Refused a watchlist record for {}: {} ({})", record.key(), reason, detail);
        context.recordMetadata()
                .ifPresent(where -> deadLetters.send(
                        where,
                        record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                        record.value(),
                        reason,
                        detail));
    }
}
