package io.vigil.matcher.index;

import io.vigil.matcher.index.IndexSettings.Mode;
import io.vigil.matcher.index.RowStore.Chunk;
import io.vigil.matcher.index.RowStore.View;

/**
 * The watchlist index. Exact search scans every embedding; approximate search ranks every row by the distance of
 * its {@link SignSketch} to the query's (sign bits of the row against sign and magnitude of the query's rotated
 * coordinates; first on three eighths of the bits, then on all of them for the closest 0.5%, at least 4 times
 * {@code candidates} rows, and more where many rows may be at the settings' reach) and re-ranks the closest {@code candidates} rows exactly, so a returned similarity is
 * always exact; only a miss is approximate. Which one runs is {@link IndexSettings}' choice. Safe for one writer
 * and any number of concurrent searches, which never lock.
 */
public final class FlatIndex implements VectorIndex {
    private final IndexSettings settings;
    private final RowStore store;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final SketchScan.Collector collector;

    public FlatIndex(IndexSettings settings) {
        this(settings, new RowStore(), collectorFor(settings));
    }

    FlatIndex(IndexSettings settings, RowStore store, SketchScan.Collector collector) {
        this.settings = settings;
        this.store = store;
        this.collector = collector;
    }

    public FlatIndex() {
        this(IndexSettings.DEFAULT);
    }

    /**
     * The same rows searched with other settings, for comparing settings on one copy of a large watchlist; write
     * through one of the two only.
     */
    public FlatIndex withSettings(IndexSettings other) {
        return new FlatIndex(other, store, collectorFor(other));
    }

    private static SketchScan.Collector collectorFor(IndexSettings settings) {
        return settings.threads() > 1
                ? new ParallelCollector(settings.threads(), ParallelCollector.MIN_CHUNKS_PER_PART)
                : SketchScan::collect;
    }

    @Override
    public synchronized void upsert(String personId, float[][] embeddings) {
        if (embeddings.length == 0) {
            throw new IllegalArgumentException("person " + personId + " has no embeddings");
        }
        int dim = embeddings[0].length;
        for (float[] e : embeddings) {
            if (e.length != dim) {
                throw new IllegalArgumentException(
                        "person " + personId + " has embeddings of " + dim + " and " + e.length + " dimensions");
            }
        }
        if (!store.accepts(personId, dim)) {
            throw new IllegalArgumentException("person " + personId + " has " + dim
                    + "-d embeddings but the index holds " + store.dimension() + "-d ones");
        }
        store.put(personId, embeddings.clone());
    }

    @Override
    public synchronized void remove(String personId) {
        store.remove(personId);
    }

    @Override
    public Match search(float[] query) {
        View v = store.view();
        if (v.liveRows() == 0) {
            return null;
        }
        checkDimension(v, query);
        boolean exact = settings.mode() == Mode.EXACT
                || (settings.mode() == Mode.AUTO && v.liveRows() <= settings.exactLimit())
                || v.liveRows() <= 4 * settings.candidates();
        return exact ? exact(v, query) : approximate(v, query, null);
    }

    /** Where an approximate search's time goes: indexes into {@link #searchApproximate(float[], long[])}'s array. */
    public static final int SKETCH = 0;

    public static final int FIRST_PASS = 1;
    public static final int SECOND_PASS = 2;
    public static final int RERANK = 3;
    /** Rows the first pass kept for the second. */
    public static final int SHORTLISTED = 4;

    /**
     * An approximate search whatever the settings say, writing into {@code phases} the nanoseconds of its steps
     * ({@link #SKETCH}, {@link #FIRST_PASS}, {@link #SECOND_PASS}, {@link #RERANK}) and the rows shortlisted: for
     * benchmarks that show where the time goes.
     */
    public Match searchApproximate(float[] query, long[] phases) {
        View v = store.view();
        if (v.liveRows() == 0) {
            return null;
        }
        checkDimension(v, query);
        return approximate(v, query, phases);
    }

    /** Exact search whatever the settings say: the reference an approximate search is measured against. */
    public Match searchExact(float[] query) {
        View v = store.view();
        if (v.liveRows() == 0) {
            return null;
        }
        checkDimension(v, query);
        return exact(v, query);
    }

    private static void checkDimension(View v, float[] query) {
        if (query.length != v.dim()) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + v.dim());
        }
    }

    private static Match exact(View v, float[] q) {
        int dim = v.dim();
        float bestSim = Float.NEGATIVE_INFINITY;
        int bestOwner = -1;
        for (int c = 0; c < v.chunks().length; c++) {
            Chunk chunk = v.chunks()[c];
            int n = Math.min(RowStore.CHUNK, v.rows() - c * RowStore.CHUNK);
            for (int r = 0; r < n; r++) {
                int owner = chunk.owner()[r];
                if (owner >= 0) {
                    float sim = Dot.dot(chunk.data(), r * dim, q, dim);
                    if (sim > bestSim) {
                        bestSim = sim;
                        bestOwner = owner;
                    }
                }
            }
        }
        return bestOwner < 0 ? null : new Match(v.people()[bestOwner], bestSim);
    }

    private Match approximate(View v, float[] q, long[] phases) {
        long t0 = phases == null ? 0 : System.nanoTime();
        Scratch s = scratch.get();
        SignSketch.Query query = v.sketch().query(q, v.headWords(), settings.reach());
        long[] code = query.code();
        int shortlist = Math.max(4 * settings.candidates(), v.liveRows() / 200);
        long t1 = phases == null ? 0 : System.nanoTime();
        int n1 = SketchScan.headScan(v, code, shortlist, query.headReach(), s, collector);
        long t2 = phases == null ? 0 : System.nanoTime();
        int n2 = SketchScan.tailScan(v, code, n1, settings.candidates(), s);
        long t3 = phases == null ? 0 : System.nanoTime();
        int dim = v.dim();
        s.touched += readAhead(v, s.rows, n2);
        float bestSim = Float.NEGATIVE_INFINITY;
        int bestOwner = -1;
        for (int i = 0; i < n2; i++) {
            int row = s.rows[i];
            Chunk chunk = v.chunks()[row / RowStore.CHUNK];
            int owner = chunk.owner()[row % RowStore.CHUNK];
            if (owner >= 0) {
                float sim = Dot.dot(chunk.data(), (row % RowStore.CHUNK) * dim, q, dim);
                if (sim > bestSim) {
                    bestSim = sim;
                    bestOwner = owner;
                }
            }
        }
        if (phases != null) {
            phases[SKETCH] = t1 - t0;
            phases[FIRST_PASS] = t2 - t1;
            phases[SECOND_PASS] = t3 - t2;
            phases[RERANK] = System.nanoTime() - t3;
            phases[SHORTLISTED] = n1;
        }
        return bestOwner < 0 ? null : new Match(v.people()[bestOwner], bestSim);
    }

    /**
     * Reads the first float of each of the {@code n} rows to re-rank, and nothing else: independent loads the memory
     * serves together, after which each row's dot product streams from a line already on its way (re-rank p50/p99
     * 0.18/0.30 ms against 0.26/0.42 for 256 rows of 512 floats at 1M rows, same run). Returns their bits' sum, kept
     * by the caller so that the reads stay.
     */
    private static long readAhead(View v, int[] rows, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            sum += Float.floatToRawIntBits(v.chunks()[row / RowStore.CHUNK].data()[(row % RowStore.CHUNK) * v.dim()]);
        }
        return sum;
    }

    @Override
    public int size() {
        return store.people();
    }

    @Override
    public int dimension() {
        return store.view().dim();
    }

    /** Embeddings searched (live rows). */
    @Override
    public int rows() {
        return store.view().liveRows();
    }

    /** Bytes held per embedding: floats, sketch and owner. */
    public long bytesPerRow() {
        return store.bytesPerRow();
    }

    /** Bytes an approximate search reads of every row (its first pass: the head words of the sketch). */
    public int scanBytesPerRow() {
        return store.view().headWords() * 8;
    }

    /** Per-thread buffers of the approximate search, reused across queries. */
    static final class Scratch {
        int[] rows = new int[0];
        int[] full = new int[0];
        int[] tied = new int[0];
        int[] histogram = new int[0];
        /** What the read-aheads summed: kept, so that the reads are not optimised away. */
        long touched;

        /** Room for {@code rowCount} rows and a histogram of distances up to {@code most}. */
        void ensure(int rowCount, int most) {
            if (rows.length < rowCount) {
                int n = rowCount + rowCount / 4;
                rows = new int[n];
                full = new int[n];
                tied = new int[n];
            }
            if (histogram.length != 4 * (most + 1)) {
                histogram = new int[4 * (most + 1)];
            }
        }
    }
}
