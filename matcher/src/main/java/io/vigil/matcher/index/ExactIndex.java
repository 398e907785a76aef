package io.vigil.matcher.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact search: every embedding of every person in one contiguous float array, scanned with an unrolled dot
 * product. Writes build a new snapshot (copy-on-write), so searches never lock and always see a whole watchlist.
 */
public final class ExactIndex implements VectorIndex {
    private record Snapshot(float[] data, int[] owner, String[] people, int dim) {
        static final Snapshot EMPTY = new Snapshot(new float[0], new int[0], new String[0], 0);
    }

    private final Map<String, float[][]> entries = new LinkedHashMap<>();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean dirty;

    @Override
    public synchronized void upsert(String personId, float[][] embeddings) {
        if (embeddings.length == 0) {
            throw new IllegalArgumentException("person " + personId + " has no embeddings");
        }
        int dim = embeddings[0].length;
        for (float[] e : embeddings) {
            if (e.length != dim) {
                throw new IllegalArgumentException("person " + personId + " has embeddings of " + dim + " and "
                        + e.length + " dimensions");
            }
        }
        for (Map.Entry<String, float[][]> other : entries.entrySet()) {
            if (!other.getKey().equals(personId)) { // the others all share one dimension: checking one suffices
                if (other.getValue()[0].length != dim) {
                    throw new IllegalArgumentException("person " + personId + " has " + dim
                            + "-d embeddings but the index holds " + other.getValue()[0].length + "-d ones");
                }
                break;
            }
        }
        entries.put(personId, embeddings.clone());
        rebuild();
    }

    /**
     * Bulk loading (the matcher benchmark): adds without checks or rebuilding; the snapshot is rebuilt once, by
     * the first search after the load.
     */
    public synchronized void upsertUnchecked(String personId, float[]... embeddings) {
        entries.put(personId, embeddings.clone());
        dirty = true;
    }

    @Override
    public synchronized void remove(String personId) {
        if (entries.remove(personId) != null) {
            rebuild();
        }
    }

    private synchronized void rebuildIfDirty() {
        if (dirty) {
            rebuild();
        }
    }

    private void rebuild() {
        dirty = false;
        int rows = 0;
        int dim = 0;
        for (float[][] e : entries.values()) {
            rows += e.length;
            dim = e[0].length;
        }
        float[] data = new float[rows * dim];
        int[] owner = new int[rows];
        String[] people = new String[entries.size()];
        int p = 0;
        int r = 0;
        for (Map.Entry<String, float[][]> en : entries.entrySet()) {
            people[p] = en.getKey();
            for (float[] v : en.getValue()) {
                System.arraycopy(v, 0, data, r * dim, dim);
                owner[r++] = p;
            }
            p++;
        }
        snapshot = new Snapshot(data, owner, people, dim);
    }

    @Override
    public Match search(float[] query) {
        if (dirty) {
            rebuildIfDirty();
        }
        Snapshot s = snapshot;
        if (s.owner.length == 0) {
            return null;
        }
        if (query.length != s.dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + s.dim);
        }
        int best = -1;
        float bestSim = Float.NEGATIVE_INFINITY;
        for (int row = 0; row < s.owner.length; row++) {
            float sim = dot(s.data, row * s.dim, query, s.dim);
            if (sim > bestSim) {
                bestSim = sim;
                best = row;
            }
        }
        return new Match(s.people[s.owner[best]], bestSim);
    }

    /** Dot product with four independent accumulators, so the JIT can pipeline the multiply-adds. */
    static float dot(float[] data, int off, float[] q, int dim) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += data[off + i] * q[i];
            s1 += data[off + i + 1] * q[i + 1];
            s2 += data[off + i + 2] * q[i + 2];
            s3 += data[off + i + 3] * q[i + 3];
        }
        for (; i < dim; i++) {
            s0 += data[off + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public int size() {
        return snapshot.people.length;
    }

    @Override
    public int dimension() {
        return snapshot.dim;
    }

    /** All person ids, for tests and listings. */
    public List<String> people() {
        return new ArrayList<>(List.of(snapshot.people));
    }

    /** Bytes of embedding data held, for the memory-per-identity figure. */
    public long dataBytes() {
        return (long) snapshot.data.length * Float.BYTES + snapshot.owner.length * 4L;
    }
}
