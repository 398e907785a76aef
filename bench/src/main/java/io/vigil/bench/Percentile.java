package io.vigil.bench;

/** Nearest-rank percentiles, for the benchmarks' latency figures. */
final class Percentile {
    private Percentile() {}

    /** The {@code p} (0..1] percentile of ascending {@code sorted}, by nearest rank; NaN when empty. */
    static double of(long[] sorted, double p) {
        return sorted.length == 0
                ? Double.NaN
                : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
    }
}
