package io.vigil.matcher.index;

import io.vigil.matcher.index.FlatIndex.Scratch;
import io.vigil.matcher.index.RowStore.View;

import java.util.Arrays;

/**
 * The two sketch passes of an approximate search. Each computes distances, counts them in a histogram (distances
 * are small integers) and keeps the rows within the cut that leaves about {@code keep} of them: no sort. The first
 * pass reads the head words of every row, the second the tail words of the rows the first kept.
 *
 * <p>A distance is asymmetric ({@link SignSketch#query}): a bit where row and query differ in sign counts 1, or 3
 * where the query's coordinate is large. {@code code} holds the query's sign words, then its large-coordinate mask.
 */
final class SketchScan {
    private SketchScan() {}

    /**
     * Rows whose head-word distance is within the cut that leaves about {@code keep} of them, into {@code s.rows}
     * with their distances in {@code s.full}. The cut is read off the histogram of a sample (the first rows of each
     * chunk, read in runs; insertion order says nothing of distance to a query), so the full pass does nothing per
     * row but the distance and one comparison. Dead rows are scanned like live ones (checking would slow every row
     * down) and dropped by the re-ranking.
     *
     * <p>Where more rows than {@code keep} lie within {@code reach} (a crowded neighbourhood: many people resemble
     * the face), the cut widens to the reach, up to {@link #MOST_KEPT} of the rows: the rows that might be at the
     * cosine the reach was computed for are not cut off for lack of room.
     */
    static int headScan(View v, long[] code, int keep, int reach, Scratch s, Collector collector) {
        int rows = v.rows();
        int hw = v.headWords();
        int words = hw + v.tailWords();
        int most = maxDistance(words);
        s.ensure(rows, most);
        int chunks = v.chunks().length;
        int perChunk = rows <= SAMPLE ? RowStore.CHUNK : Math.max(32, SAMPLE / chunks); // runs: sequential reads
        int[] hist = s.histogram;
        Arrays.fill(hist, 0);
        int sampled = 0;
        for (int c = 0; c < chunks; c++) {
            long[] head = v.chunks()[c].head();
            int start = v.chunks()[c].headStart();
            int n = Math.min(perChunk, rows - c * RowStore.CHUNK);
            for (int r = 0; r < n; r++, sampled++) {
                hist[(headDistance(head, start + r, code, hw, words) << 2) | (sampled & 3)]++;
            }
        }
        int cut = cut(hist, most, (int) Math.min(sampled, Math.ceil((double) keep * sampled / rows)));
        if (reach > cut) { // never below the usual cut, even where keep is itself over MOST_KEPT of the rows
            cut = Math.max(cut, Math.min(reach, cut(hist, most, (int) Math.ceil(MOST_KEPT * sampled))));
        }
        int kept = collector.collect(v, code, cut, s);
        while (kept < Math.min(keep, v.liveRows()) / 2 && cut < maxDistance(hw)) {
            cut += 2; // an unlucky sample: widen
            kept = collector.collect(v, code, cut, s);
        }
        return kept;
    }

    /** How the rows within a cut are gathered: in this thread, or split by chunk ranges over several. */
    interface Collector {
        int collect(View v, long[] code, int cut, Scratch s);
    }

    private static final int SAMPLE = 1 << 14;

    /** The largest share of rows a head pass keeps for its reach. */
    static final double MOST_KEPT = 0.05;

    static int collect(View v, long[] code, int cut, Scratch s) {
        return collect(v, code, cut, 0, v.chunks().length, s.rows, s.full, 0);
    }

    /**
     * The rows of chunks {@code [from, to)} within {@code cut}, written from {@code out} on: their numbers into
     * {@code rowsOut}, their distances into {@code distOut}. Returns how many.
     */
    static int collect(View v, long[] code, int cut, int from, int to, int[] rowsOut, int[] distOut, int out) {
        int hw = v.headWords();
        int words = hw + v.tailWords();
        int kept = out;
        int row = from * RowStore.CHUNK;
        for (int c = from; c < to; c++) {
            int n = Math.min(RowStore.CHUNK, v.rows() - row);
            long[] head = v.chunks()[c].head();
            int start = v.chunks()[c].headStart();
            if (hw == 3) {
                long c0 = code[0];
                long c1 = code[1];
                long c2 = code[2];
                long m0 = code[words];
                long m1 = code[words + 1];
                long m2 = code[words + 2];
                int w1 = start + RowStore.CHUNK;
                int w2 = start + 2 * RowStore.CHUNK;
                for (int r = 0; r < n; r++) {
                    long x0 = head[start + r] ^ c0;
                    long x1 = head[w1 + r] ^ c1;
                    long x2 = head[w2 + r] ^ c2;
                    int d = Long.bitCount(x0)
                            + Long.bitCount(x1)
                            + Long.bitCount(x2)
                            + ((Long.bitCount(x0 & m0) + Long.bitCount(x1 & m1) + Long.bitCount(x2 & m2)) << 1);
                    if (d <= cut) {
                        rowsOut[kept] = row + r;
                        distOut[kept++] = d;
                    }
                }
            } else {
                for (int r = 0; r < n; r++) {
                    int d = headDistance(head, start + r, code, hw, words);
                    if (d <= cut) {
                        rowsOut[kept] = row + r;
                        distOut[kept++] = d;
                    }
                }
            }
            row += n;
        }
        return kept - out;
    }

    /**
     * Full distances of the {@code n} rows in {@code s.rows} (their head distances in {@code s.full}); keeps the
     * closest {@code keep} there, in place.
     */
    static int tailScan(View v, long[] code, int n, int keep, Scratch s) {
        int hw = v.headWords();
        int tw = v.tailWords();
        int most = maxDistance(hw + tw);
        int[] rows = s.rows;
        int[] full = s.full;
        RowStore.Chunk[] chunks = v.chunks();
        long touched = 0;
        for (int from = 0; tw > 0 && from < n; from += TOUCHED) { // short sketches have no tail
            int to = Math.min(n, from + TOUCHED);
            touched += touch(chunks, rows, from, to, tw);
            if (hw == 3 && tw == 5) {
                tails512(chunks, rows, full, from, to, code);
            } else {
                for (int i = from; i < to; i++) {
                    int row = rows[i];
                    long[] tail = chunks[row / RowStore.CHUNK].tail();
                    full[i] += distance(tail, (row % RowStore.CHUNK) * tw, code, hw, tw, hw + tw);
                }
            }
        }
        s.touched = touched;
        int[] hist = s.histogram;
        Arrays.fill(hist, 0);
        for (int i = 0; i < n; i++) {
            hist[(full[i] << 2) | (i & 3)]++;
        }
        int cut = cut(hist, most, keep);
        int kept = 0;
        int[] tied = s.tied;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            if (s.full[i] < cut) {
                s.rows[kept++] = s.rows[i];
            } else if (s.full[i] == cut) {
                tied[ties++] = s.rows[i];
            }
        }
        for (int i = 0; i < ties && kept < keep; i++) {
            s.rows[kept++] = tied[i];
        }
        return kept;
    }

    /** Rows whose tails are read ahead at a time: their lines fit the first-level cache. */
    private static final int TOUCHED = 256;

    /**
     * Reads the first and last tail word of rows {@code rows[from .. to)}, and nothing else: these loads do not wait
     * on each other, so the memory serves them together, and the distances computed next find the rows in cache.
     * The distance loop alone waits for about one row at a time (at 1M rows, 7,800 rows took 0.85 ms that way and
     * 0.52 ms read ahead). Returns a sum of the words, kept by the caller so that the reads stay.
     */
    private static long touch(RowStore.Chunk[] chunks, int[] rows, int from, int to, int tw) {
        long sum = 0;
        for (int i = from; i < to; i++) {
            int row = rows[i];
            long[] tail = chunks[row / RowStore.CHUNK].tail();
            int o = (row % RowStore.CHUNK) * tw;
            sum += tail[o] + tail[o + tw - 1];
        }
        return sum;
    }

    /** Adds the tail distances of rows {@code rows[from .. to)} to {@code full}: the 512-d case, unrolled. */
    private static void tails512(RowStore.Chunk[] chunks, int[] rows, int[] full, int from, int to, long[] code) {
        long c3 = code[3];
        long c4 = code[4];
        long c5 = code[5];
        long c6 = code[6];
        long c7 = code[7];
        long m3 = code[11];
        long m4 = code[12];
        long m5 = code[13];
        long m6 = code[14];
        long m7 = code[15];
        for (int i = from; i < to; i++) {
            int row = rows[i];
            long[] tail = chunks[row / RowStore.CHUNK].tail();
            int o = (row % RowStore.CHUNK) * 5;
            long x3 = tail[o] ^ c3;
            long x4 = tail[o + 1] ^ c4;
            long x5 = tail[o + 2] ^ c5;
            long x6 = tail[o + 3] ^ c6;
            long x7 = tail[o + 4] ^ c7;
            full[i] += Long.bitCount(x3)
                    + Long.bitCount(x4)
                    + Long.bitCount(x5)
                    + Long.bitCount(x6)
                    + Long.bitCount(x7)
                    + ((Long.bitCount(x3 & m3)
                                    + Long.bitCount(x4 & m4)
                                    + Long.bitCount(x5 & m5)
                                    + Long.bitCount(x6 & m6)
                                    + Long.bitCount(x7 & m7))
                            << 1);
        }
    }

    /**
     * The head distance of the row whose first head word is {@code head[at]} (its others a column apart, {@link
     * RowStore#CHUNK}) to the query's first {@code hw} words ({@code codeWords}: where the query's mask starts).
     */
    private static int headDistance(long[] head, int at, long[] code, int hw, int codeWords) {
        int d = 0;
        for (int w = 0; w < hw; w++) {
            long x = head[at + w * RowStore.CHUNK] ^ code[w];
            d += Long.bitCount(x) + (Long.bitCount(x & code[codeWords + w]) << 1);
        }
        return d;
    }

    /**
     * The distance of {@code words[off .. off + n)} to the query's words {@code [codeOff, codeOff + n)}: differing
     * bits, thrice where the query's coordinate is large ({@code codeWords}: the query's sketch length, where its
     * mask starts).
     */
    private static int distance(long[] words, int off, long[] code, int codeOff, int n, int codeWords) {
        int d = 0;
        for (int w = 0; w < n; w++) {
            long x = words[off + w] ^ code[codeOff + w];
            d += Long.bitCount(x) + (Long.bitCount(x & code[codeWords + codeOff + w]) << 1);
        }
        return d;
    }

    /** The largest distance over {@code words} sketch words: every bit differing where the query's is large. */
    static int maxDistance(int words) {
        return 3 * 64 * words;
    }

    /**
     * The smallest distance at or under which at least {@code keep} rows lie (or every live row does): every row
     * under it is kept, and rows at it until {@code keep} are.
     */
    private static int cut(int[] hist, int most, int keep) {
        int seen = 0;
        for (int d = 0; d <= most; d++) {
            seen += hist[d << 2] + hist[(d << 2) | 1] + hist[(d << 2) | 2] + hist[(d << 2) | 3];
            if (seen >= keep) {
                return d;
            }
        }
        return most;
    }
}
