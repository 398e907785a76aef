package io.vigil.bench.jmh;

import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.index.IndexSettings;
import io.vigil.matcher.index.Match;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** One watchlist search over random 512-d identities: the exact scan (baseline) and the sketch index. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class IndexSearchJmh {
    @Param({"10000", "100000"})
    int identities;

    private FlatIndex index;
    private float[][] queries;
    private int next;

    @Setup(Level.Trial)
    public void load() {
        SplittableRandom r = new SplittableRandom(42);
        index = new FlatIndex(IndexSettings.approximate(64));
        for (int i = 0; i < identities; i++) {
            index.upsert("p" + i, new float[][] {Vectors.unit(512, r)});
        }
        queries = new float[256][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = Vectors.unit(512, r);
        }
    }

    @Benchmark
    public Match exact() {
        return index.searchExact(queries[next++ & 255]);
    }

    @Benchmark
    public Match approximate() {
        return index.search(queries[next++ & 255]);
    }
}
