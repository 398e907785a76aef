package io.vigil.matcher.stream;

import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.index.Match;
import io.vigil.matcher.index.VectorIndex;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The watchlist as the matcher searches it: the vector index plus each person's name and threshold (the embeddings
 * live in the index only). Fed by the global store's processor, which Kafka Streams runs over the whole watchlist
 * topic at every start (the store is in memory and reprocessed on restore) and over every record after.
 */
public final class Watchlist {
    /** What an alert needs of a person besides the match. */
    public record Person(String personId, String displayName, Double threshold) {}

    private final VectorIndex index;
    private final Map<String, Person> people = new ConcurrentHashMap<>();

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

    public Match search(float[] embedding) {
        return index.search(embedding);
    }

    public Person person(String personId) {
        return people.get(personId);
    }

    /** Enrolled embeddings held (a person may have several). */
    public int embeddings() {
        return index.rows();
    }

    public int size() {
        return people.size();
    }

    public int dimension() {
        return index.dimension();
    }
}
