package io.vigil.bench;

import io.vigil.app.UserException;
import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.index.IndexSettings;
import io.vigil.matcher.index.Match;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

@Command(
        name = "matcher",
        mixinStandardHelpOptions = true,
        description = {
            "Watchlist search on one thread: exact and approximate query latency p50/p99 and queries/s, recall@1 of",
            "approximate against exact, load rate and memory per embedding, and the memory floor: a plain sum over the",
            "bytes the approximate search's first pass reads, timed the same way in the same run.",
            "Data 'random': uniformly random L2-normalised identities, one embedding each; strangers are random unit",
            "vectors. Data 'faces': face-like identities (different people's embeddings meet at cosine 0 +- 0.106 and",
            "one person's photos at a median of 0.852, as measured on the real photos), several embeddings per person;",
            "strangers are unenrolled people drawn the same way. Faces of enrolled people are queries at cosine",
            "0.5-0.9 to one of their embeddings, and (measured apart) from the threshold to 0.5; with a threshold",
            "above 0.4 both bands move up with it (--threshold 0.55: 0.55-0.65 apart, and 0.65-0.9)."
        })
final class MatcherBench implements Callable<Integer> {
    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "1000,10000,100000,1000000",
            description = "watchlist sizes in embeddings (rows searched; default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(
            names = "--data",
            split = ",",
            defaultValue = "random,faces",
            description = "random, faces or both (default ${DEFAULT-VALUE})")
    List<String> data;

    @Option(
            names = "--per-person",
            defaultValue = "3",
            description = "embeddings per person with face-like data (default ${DEFAULT-VALUE})")
    int perPerson;

    @Option(
            names = "--queries",
            defaultValue = "500",
            description = "faces of enrolled people per size (default ${DEFAULT-VALUE})")
    int queries;

    @Option(
            names = "--strangers",
            defaultValue = "100",
            description = "faces of strangers per size (default ${DEFAULT-VALUE})")
    int strangers;

    @Option(
            names = "--near",
            defaultValue = "200",
            description = "faces of enrolled people at cosine from the threshold to 0.5 (to 0.1 above a"
                    + " threshold over 0.4), the hardest to find, measured apart (default ${DEFAULT-VALUE})")
    int near;

    @Option(
            names = "--exact-sample",
            defaultValue = "50",
            description = "queries the exact search is timed on (0.4 s each at 1M rows here); the exact answers"
                    + " that recall is measured against are computed for every query, on every core"
                    + " (default ${DEFAULT-VALUE})")
    int exactSample;

    @Option(
            names = "--candidates",
            defaultValue = "256",
            description = "rows re-ranked exactly by the approximate search (default ${DEFAULT-VALUE})")
    int candidates;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "also measure the approximate search with its sketch"
                    + " pass split over this many threads, when more than 1 (default ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--phases",
            description = "also print where the approximate search's time goes: p50/p99 of each step over one more"
                    + " pass, and the rows its first pass shortlists")
    boolean phases;

    @Option(names = "--dim", defaultValue = "512")
    int dim;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description =
                    "timed passes over all queries per index, after a" + " warm-up pass (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(
            names = "--threshold",
            defaultValue = "0.40",
            description = "the matcher's threshold: the approximate search's reach, and the alert decision that"
                    + " strangers' answers must agree on (default ${DEFAULT-VALUE})")
    double threshold;

    @Option(
            names = "--hnsw",
            description = "also build Lucene's HNSW graph (M 16, beam 100) on sizes up to 100k and"
                    + " measure it the same way; its build is slow (about 40 s for 20k rows on 2 cores)")
    boolean hnsw;

    @Option(names = "--hnsw-ef", defaultValue = "100", description = "HNSW search beam (default ${DEFAULT-VALUE})")
    int hnswEf;

    @Override
    public Integer call() {
        if (sizes.stream().anyMatch(n -> n < 1)
                || queries < 1
                || strangers < 0
                || near < 0
                || candidates < 1
                || dim < 1
                || perPerson < 1
                || exactSample < 1
                || repeats < 1) {
            throw new UserException("sizes, --queries, --candidates, --dim, --per-person, --exact-sample and"
                    + " --repeats must be positive; --strangers and --near >= 0");
        }
        if (!(threshold > 0 && threshold <= 0.7)) {
            throw new UserException("--threshold takes a cosine above 0 and at most 0.7 (faces are drawn up to 0.2"
                    + " above it, and at most 0.9), not " + threshold);
        }
        for (String d : data) {
            if (!d.equals("random") && !d.equals("faces")) {
                throw new UserException("--data takes random, faces or both (random,faces), not " + d);
            }
        }
        if (data.contains("faces") && Integer.bitCount(dim) != 1) {
            throw new UserException("face-like data needs a power-of-two --dim (such as 512), not " + dim);
        }
        long largest = sizes.stream().mapToLong(Integer::longValue).max().orElse(0);
        long need = largest * (4L * dim + 300) + Math.min(largest, KEPT) * (4L * dim + 20);
        if (need > Runtime.getRuntime().maxMemory() * 0.9) {
            throw new UserException(String.format(
                    "%,d embeddings need about %,d MB of heap and this JVM may use %,d MB;"
                            + " give it more (VIGIL_JAVA_OPTS=-Xmx%dg) or leave the largest size out of --sizes",
                    largest, need >> 20, Runtime.getRuntime().maxMemory() >> 20, (need >> 30) + 2));
        }
        System.out.printf(
                "%-6s %-9s %-9s %-7s %24s %24s %10s %9s %10s %12s %16s%n",
                "data",
                "rows",
                "people",
                "index",
                "p50 ms",
                "p99 ms",
                "queries/s",
                "speed-up",
                "recall@1",
                String.format("(%.2f-%.2f)", threshold, nearTop()),
                "strangers agree");
        for (String d : data) {
            SplittableRandom r = new SplittableRandom(42);
            for (int n : sizes) {
                run(d, n, r);
            }
        }
        System.out.printf(
                "p50 and p99: median [range] of %d timed passes over every query after a warm-up pass (exact: over"
                        + " %d of them).%n",
                repeats, exactSample);
        System.out.printf(
                "speed-up: p50 against the exact scan of the same rows, in the same run; recall@1: the approximate"
                        + " search names the exact search's person, for faces at cosine %.2f-0.90 and, apart, %.2f-%.2f;"
                        + " strangers agree: the same alert decision at the threshold, for the same person;"
                        + " floor: a plain sum over the bytes the approximate search reads in full per query (its"
                        + " first pass), timed per query like a search.%n",
                nearTop(), threshold, nearTop());
        return 0;
    }

    /** The top of the near band, and the bottom of the band above it: 0.5 at the default threshold. */
    private double nearTop() {
        return Math.max(0.5, threshold + 0.1);
    }

    /** Queries are drawn from the first this many embeddings (the bench keeps them; the index is measured alone). */
    private static final int KEPT = 100_000;

    private void run(String kind, int n, SplittableRandom r) {
        boolean faces = kind.equals("faces");
        int each = faces ? perPerson : 1;
        FaceLikeVectors gen = faces ? new FaceLikeVectors(dim, 7) : null;
        IndexSettings settings = IndexSettings.approximate(candidates).withReach(threshold);
        FlatIndex index = new FlatIndex(settings.withThreads(Math.max(1, threads)));
        FlatIndex serial = threads > 1 ? index.withSettings(settings) : index;
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        float[][] enrolled = new float[Math.min(n, KEPT)][];
        int people = 0;
        for (int row = 0; row < n; people++) {
            int k = Math.min(each, n - row);
            float[][] photos = new float[k][];
            float[] centre = faces ? gen.direction(r) : null;
            for (int j = 0; j < k; j++, row++) {
                photos[j] = faces ? gen.photo(centre, r) : unit(r);
                if (row < enrolled.length) {
                    enrolled[row] = photos[j];
                }
            }
            index.upsert("p" + people, photos);
        }
        double loadS = (System.nanoTime() - t0) / 1e9;
        long queryBases = enrolled.length * (16L + 4L * dim + 4); // kept by the bench, not by the index
        long heapPerRow = (usedHeap() - heapBefore - queryBases) / n;
        float[][] qs = new float[queries + near + strangers][];
        for (int i = 0; i < queries + near; i++) {
            double cos = i < queries
                    ? nearTop() + (0.9 - nearTop()) * r.nextDouble()
                    : threshold + (nearTop() - threshold) * r.nextDouble();
            float[] of = enrolled[r.nextInt(enrolled.length)];
            qs[i] = faces ? gen.sighting(of, cos, r) : near(of, cos, r);
        }
        for (int i = queries + near; i < qs.length; i++) {
            qs[i] = faces ? gen.photo(gen.direction(r), r) : unit(r);
        }
        Match[] exact = IntStream.range(0, qs.length)
                .parallel()
                .mapToObj(i -> index.searchExact(qs[i]))
                .toArray(Match[]::new);
        float[][] sample = new float[Math.min(exactSample, qs.length)][];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = qs[(int) ((long) i * qs.length / sample.length)];
        }
        Timing te = timing(sample, new Match[sample.length], index::searchExact);
        String label = String.format("%-6s %-9d %-9d", kind, n, people);
        System.out.printf(
                "%s %-7s %24s %24s %10.0f %9s %10s %12s %16s%n",
                label, "exact", te.p50.show("%.3f"), te.p99.show("%.3f"), te.qps.median(), "1.00x", "1", "1", "-");
        Timing ta = printApproximate("approx", qs, exact, te, serial);
        if (phases) {
            printPhases(qs, serial);
        }
        if (threads > 1) {
            printApproximate("x" + threads, qs, exact, te, index);
        }
        Timing floor = floor(n * (long) index.scanBytesPerRow(), qs.length);
        System.out.printf(
                "%-26s %-7s %24s %24s %10.0f %9s   approximate p50 = %.2fx the floor's%n",
                "",
                "floor",
                floor.p50.show("%.3f"),
                floor.p99.show("%.3f"),
                floor.qps.median(),
                "",
                ta.p50.ratioTo(floor.p50));
        System.out.printf(
                "%-26s load %.1f s (%.0f embeddings/s); memory per embedding: %d B held (floats, sketch, owner),"
                        + " %d B heap growth%n",
                "", loadS, n / loadS, index.bytesPerRow(), heapPerRow);
        if (hnsw && n <= enrolled.length && !faces) {
            compareHnsw(enrolled, qs, exact, te);
        } else if (hnsw && !faces) {
            System.out.printf(
                    "%-26s hnsw skipped above 100k rows (its build alone would take over an hour here)%n", "");
        }
    }

    /** Times {@code index}'s searches and prints them against the exact answers. */
    private Timing printApproximate(String label, float[][] qs, Match[] exact, Timing te, FlatIndex index) {
        Match[] approx = new Match[qs.length];
        Timing ta = timing(qs, approx, index::search);
        int found = 0;
        for (int i = 0; i < queries; i++) {
            found += exact[i].personId().equals(approx[i].personId()) ? 1 : 0;
        }
        int foundNear = 0;
        for (int i = queries; i < queries + near; i++) {
            foundNear += exact[i].personId().equals(approx[i].personId()) ? 1 : 0;
        }
        int agree = 0;
        for (int i = queries + near; i < qs.length; i++) {
            boolean e = exact[i].similarity() >= threshold;
            boolean a = approx[i].similarity() >= threshold;
            agree += e == a && (!e || exact[i].personId().equals(approx[i].personId())) ? 1 : 0;
        }
        System.out.printf(
                "%-26s %-7s %24s %24s %10.0f %8.2fx %10.4f %12s %16s%n",
                "",
                label,
                ta.p50.show("%.3f"),
                ta.p99.show("%.3f"),
                ta.qps.median(),
                te.p50.ratioTo(ta.p50),
                (double) found / queries,
                near == 0 ? "-" : String.format("%.4f", (double) foundNear / near),
                strangers == 0 ? "-" : agree + "/" + strangers);
        return ta;
    }

    /** One more pass of approximate searches, printing p50/p99 of each step and of the rows shortlisted. */
    private static void printPhases(float[][] qs, FlatIndex index) {
        String[] names = {"sketch", "first pass", "second pass", "re-rank"};
        long[][] t = new long[FlatIndex.SHORTLISTED + 1][qs.length];
        long[] phases = new long[FlatIndex.SHORTLISTED + 1];
        for (int i = 0; i < qs.length; i++) {
            index.searchApproximate(qs[i], phases);
            for (int k = 0; k < phases.length; k++) {
                t[k][i] = phases[k];
            }
        }
        StringBuilder line = new StringBuilder(String.format("%-26s phases  ", ""));
        for (int k = 0; k < names.length; k++) {
            line.append(String.format("%s %.3f/%.3f ms  ", names[k], p(t[k], 0.5), p(t[k], 0.99)));
        }
        long[] rows = t[FlatIndex.SHORTLISTED].clone();
        Arrays.sort(rows);
        line.append(String.format(
                "shortlisted rows %.0f/%.0f (p50/p99)", Percentile.of(rows, 0.5), Percentile.of(rows, 0.99)));
        System.out.println(line.toString().stripTrailing());
    }

    /**
     * The memory floor of a search that reads {@code bytes}: a plain sum over that many bytes held in arrays of
     * one index chunk's head words (allocated one after another, so contiguous as the index's head slabs), timed
     * once per query like a search ({@code perPass} per pass).
     */
    private Timing floor(long bytes, int perPass) {
        int per = 4095 * 3;
        long[][] blocks = new long[(int) ((bytes / 8 + per - 1) / per)][];
        SplittableRandom r = new SplittableRandom(1);
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = r.longs(per).toArray();
        }
        float[][] passes = new float[perPass][];
        long[] sink = new long[1];
        Timing t = timing(passes, new Match[perPass], q -> {
            long s = 0;
            for (long[] block : blocks) {
                for (long w : block) {
                    s += w;
                }
            }
            sink[0] += s;
            return null;
        });
        return t; // the sums are stored, so the loop cannot be optimised away
    }

    private void compareHnsw(float[][] rows, float[][] qs, Match[] exact, Timing te) {
        HnswProbe graph = new HnswProbe(List.of(rows), 16, 100, hnswEf);
        for (int i = 0; i < Math.min(30, qs.length); i++) {
            graph.search(qs[i]);
        }
        long[] th = new long[qs.length];
        int found = 0;
        int foundNear = 0;
        int agree = 0;
        for (int i = 0; i < qs.length; i++) {
            long t0 = System.nanoTime();
            int row = graph.search(qs[i]);
            th[i] = System.nanoTime() - t0;
            boolean same = exact[i].personId().equals("p" + row);
            if (i < queries) {
                found += same ? 1 : 0;
            } else if (i < queries + near) {
                foundNear += same ? 1 : 0;
            } else {
                agree += exact[i].similarity() < threshold || same ? 1 : 0;
            }
        }
        System.out.printf(
                "%-26s %-7s %24.3f %24.3f %10.0f %8.2fx %10.4f %12s %16s%n",
                "",
                "hnsw",
                p(th, 0.5),
                p(th, 0.99),
                qs.length / (Arrays.stream(th).sum() / 1e9),
                te.p50.median() / p(th, 0.5),
                (double) found / queries,
                near == 0 ? "-" : String.format("%.4f", (double) foundNear / near),
                strangers == 0 ? "-" : agree + "/" + strangers);
        System.out.printf(
                "%-26s hnsw (Lucene 9.12, M 16, beam 100, ef %d): build %.1f s (%.0f identities/s), graph %d B"
                        + " per identity besides the floats%n",
                "", hnswEf, graph.buildSeconds, rows.length / graph.buildSeconds, graph.graphBytes() / rows.length);
    }

    private interface Search {
        Match search(float[] q);
    }

    /** p50 and p99 (ms) and queries per second of each timed pass. */
    private record Timing(Spread p50, Spread p99, Spread qps) {}

    /** A warm-up pass over every query, then {@link #repeats} timed passes; {@code out} holds the answers. */
    private Timing timing(float[][] qs, Match[] out, Search search) {
        time(qs, out, search);
        double[] p50 = new double[repeats];
        double[] p99 = new double[repeats];
        double[] qps = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long[] t = time(qs, out, search);
            p50[k] = p(t, 0.5);
            p99[k] = p(t, 0.99);
            qps[k] = qs.length / (Arrays.stream(t).sum() / 1e9);
        }
        return new Timing(Spread.of(p50), Spread.of(p99), Spread.of(qps));
    }

    private static long[] time(float[][] qs, Match[] out, Search search) {
        long[] t = new long[qs.length];
        for (int i = 0; i < qs.length; i++) {
            long t0 = System.nanoTime();
            out[i] = search.search(qs[i]);
            t[i] = System.nanoTime() - t0;
        }
        return t;
    }

    /** Milliseconds at percentile {@code q} of nanosecond timings. */
    private static double p(long[] t, double q) {
        long[] s = t.clone();
        Arrays.sort(s);
        return Percentile.of(s, q) / 1e6;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private float[] unit(SplittableRandom r) {
        float[] v = new float[dim];
        double s = 0;
        for (int i = 0; i < dim; i++) {
            double g = gaussian(r);
            v[i] = (float) g;
            s += g * g;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** A unit vector at cosine {@code cos} to the unit vector {@code base}, turned a random way. */
    private float[] near(float[] base, double cos, SplittableRandom r) {
        return FaceLikeVectors.turned(base, unit(r), cos);
    }

    /** Marsaglia's polar method: SplittableRandom has no nextGaussian on Java 17. */
    static double gaussian(SplittableRandom r) {
        double u;
        double v;
        double s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
