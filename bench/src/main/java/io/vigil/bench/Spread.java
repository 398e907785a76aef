package io.vigil.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Repeated measurements of one quantity: warm-up runs first (JIT, caches, native libraries), then the repeats,
 * summarised by their median and range, so a figure means the same on the next machine and its noise is visible.
 *
 * @param median the median of the repeats
 * @param min    the smallest
 * @param max    the largest
 * @param values every repeat, in order
 */
record Spread(double median, double min, double max, double[] values) {

    /** Runs {@code warmups} unrecorded runs, then {@code repeats} recorded ones. */
    static Spread measure(int warmups, int repeats, DoubleSupplier run) {
        double ignored = 0;
        for (int i = 0; i < warmups; i++) {
            ignored += run.getAsDouble(); // warm-up: measured, not recorded
        }
        double[] v = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            v[i] = run.getAsDouble();
        }
        return of(v);
    }

    static Spread of(double... values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(median, s[0], s[n - 1], values.clone());
    }

    /** The median and range, e.g. {@code 42.1 [40.3-44.0]}, with {@code format} for each number. */
    String show(String format) {
        return String.format(Locale.ROOT, format + " [" + format + "-" + format + "]", median, min, max);
    }

    /** The reciprocal of every value (seconds per item to items per second): its median is the median's reciprocal. */
    Spread inverse() {
        return of(Arrays.stream(values).map(v -> 1 / v).toArray());
    }

    /** The ratio of two medians, the way every bench compares against its baseline. */
    double ratioTo(Spread baseline) {
        return median / baseline.median;
    }
}
