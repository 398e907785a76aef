package io.vigil.matcher.stream;

import io.vigil.api.topic.VigilTopics;
import io.vigil.matcher.MatcherConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The matcher as a pure function of its configuration:
 * <pre>
 *   watchlist (global, every instance) --> WatchlistUpdater --> [watchlist-store] + index
 *   faces --> FaceMatcher [alert-cooldown] --> alerts
 *                                          \--> dlq (refused faces records: unreadable, implausible, other model)
 *   watchlist records refused by WatchlistRules --> dlq (through the stage's own producer)
 * </pre>
 */
public final class MatcherTopology {
    public static final String WATCHLIST_STORE = "watchlist-store";
    public static final String COOLDOWN_STORE = "alert-cooldown";
    static final String ALERTS_SINK = "alerts-sink";
    static final String DLQ_SINK = "dlq-sink";

    private MatcherTopology() {}

    public static Topology topology(
            MatcherConfig config,
            VigilTopics topics,
            Watchlist watchlist,
            MatcherMetrics metrics,
            WatchlistDeadLetters deadLetters) {
        Topology t = new Topology();
        WatchlistRules rules =
                new WatchlistRules(config, topics.watchlist.valueSerde().deserializer());
        // on disk (RocksDB): a million-person watchlist's JSON would otherwise sit on the heap beside the index; the
        // in memory, holding only a marker per person: the embeddings live in the index alone (one copy, on the
        // heap), nothing of a person is ever written to this instance's disk, and at every start Kafka Streams reads
        // the topic from its beginning through the updater (reprocessing on restore), which checks every record
        t.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(WATCHLIST_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                "watchlist-source",
                Serdes.String().deserializer(),
                new ByteArrayDeserializer(),
                topics.watchlist.name(),
                "watchlist-updater",
                () -> new WatchlistUpdater(watchlist, rules, metrics, deadLetters));
        t.addSource("faces-source", Serdes.String().deserializer(), new ByteArrayDeserializer(), topics.faces.name());
        t.addProcessor(
                "face-matcher",
                () -> new FaceMatcher(
                        config, topics.faces.valueSerde().deserializer(), topics.frames.name(), watchlist, metrics),
                "faces-source");
        t.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(COOLDOWN_STORE), Serdes.String(), Serdes.Long()),
                "face-matcher");
        t.addSink(
                ALERTS_SINK,
                topics.alerts.name(),
                Serdes.String().serializer(),
                topics.alerts.valueSerde().serializer(),
                "face-matcher");
        t.addSink(DLQ_SINK, topics.dlq.name(), new ByteArraySerializer(), new ByteArraySerializer(), "face-matcher");
        return t;
    }
}
