package io.vigil.app;

import io.vigil.matcher.index.ExactIndex;
import io.vigil.matcher.index.Match;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "matcher", mixinStandardHelpOptions = true,
        description = {"Watchlist search: query latency p50/p99, queries/s and memory per identity of the exact index,",
                "for synthetic L2-normalised 512-d identities, against a naive scalar loop over the same data (baseline)."})
final class MatcherBench implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000", description = "watchlist sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;

    @Option(names = "--queries", defaultValue = "200", description = "timed queries per size (default ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--dim", defaultValue = "512")
    int dim;

    @Override
    public Integer call() {
        Random r = new Random(42);
        System.out.printf("%-9s %10s %10s %10s %12s %14s %12s%n", "people", "p50 ms", "p99 ms", "queries/s",
                "naive p50 ms", "speed-up (p50)", "bytes/person");
        for (int n : sizes) {
            ExactIndex index = new ExactIndex();
            float[][] all = new float[n][];
            for (int i = 0; i < n; i++) {
                all[i] = unit(r);
            }
            for (int i = 0; i < n; i++) {
                index.upsertUnchecked("p" + i, all[i]);
            }
            float[][] qs = new float[queries][];
            for (int i = 0; i < queries; i++) {
                qs[i] = all[r.nextInt(n)];
            }
            for (int i = 0; i < Math.min(50, queries); i++) {
                index.search(qs[i]); // warm-up
                naive(all, qs[i]);
            }
            long[] t = new long[queries];
            long[] b = new long[queries];
            int correct = 0;
            for (int i = 0; i < queries; i++) {
                long t0 = System.nanoTime();
                Match m = index.search(qs[i]);
                t[i] = System.nanoTime() - t0;
                if (m.similarity() > 0.999) {
                    correct++;
                }
                long t1 = System.nanoTime();
                naive(all, qs[i]);
                b[i] = System.nanoTime() - t1;
            }
            Arrays.sort(t);
            Arrays.sort(b);
            double p50 = t[queries / 2] / 1e6;
            double p99 = t[(int) (queries * 0.99) - 1] / 1e6;
            double total = Arrays.stream(t).sum() / 1e9;
            System.out.printf("%-9d %10.3f %10.3f %10.0f %12.3f %13.2fx %12d%n", n, p50, p99, queries / total,
                    b[queries / 2] / 1e6, (double) b[queries / 2] / t[queries / 2], index.dataBytes() / n);
            if (correct != queries) {
                System.out.printf("  WARNING: %d of %d queries did not find their own vector%n", queries - correct, queries);
            }
        }
        System.out.println("exact search, one thread; recall@1 is 1 by construction (every query found itself).");
        return 0;
    }

    private float[] unit(Random r) {
        float[] v = new float[dim];
        double s = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
            s += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** The baseline: one accumulator over separately allocated rows. */
    private static int naive(float[][] all, float[] q) {
        int best = -1;
        float bestSim = -2;
        for (int i = 0; i < all.length; i++) {
            float s = 0;
            float[] v = all[i];
            for (int k = 0; k < q.length; k++) {
                s += v[k] * q[k];
            }
            if (s > bestSim) {
                bestSim = s;
                best = i;
            }
        }
        return best;
    }
}
