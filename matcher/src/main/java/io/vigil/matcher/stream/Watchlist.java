package io.vigil.matcher.stream;

import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.index.Match;
import io.vigil.matcher.index.VectorIndex;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watchlist as the matcher searches it: the vector index plus each person's name and threshold (the embeddings
 * live in the index only). Fed by the global store's processor; loaded once from the store itself, since Kafka
 * Streams restores global stores directly. One lock orders loads and updates, so a removal is never undone by a
 * load that read the store before it.
 */
public final class Watchlist {
    /** What an alert needs of a person besides the match. */
    public record Person(String personId, String displayName, Double threshold) {}

    private final VectorIndex index;
    private final Map<String, Person> people = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public Watchlist(VectorIndex index) {
        this.index = index;
    }

    public Watchlist() {
        this(new FlatIndex());
    }

    public synchronized void put(WatchlistEntry e) {
        index.upsert(e.personId(), e.embeddings().toArray(new float[0][]));
        people.put(e.personId(), new Person(e.personId(), e.displayName(), e.threshold()));
    }

    public synchronized void remove(String personId) {
        index.remove(personId);
        people.remove(personId);
    }

    /**
     * Loads every entry of the store once (later calls do nothing), each checked by the same rules as the topic's
     * records: the store is restored from the topic, and what it holds is input like any other.
     *
     * @return how many stored entries were refused
     */
    synchronized int loadOnce(ReadOnlyKeyValueStore<String, byte[]> store, WatchlistRules rules) {
        if (loaded) {
            return 0;
        }
        int refused = 0;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.value == null || people.containsKey(kv.key)) {
                    continue;
                }
                WatchlistRules.Verdict v = rules.check(kv.key, kv.value);
                if (v.accepted()) {
                    put(v.entry());
                } else {
                    refused++;
                }
            }
        }
        loaded = true;
        return refused;
    }

    public Match search(float[] embedding) {
        return index.search(embedding);
    }

    public Person person(String personId) {
        return people.get(personId);
    }

    public int size() {
        return people.size();
    }

    public int dimension() {
        return index.dimension();
    }
}
