package io.vigil.bench;

import java.util.List;

/**
 * Alert recall on a looping clip in which an enrolled person passes once per loop: the alerts of one camera are
 * grouped into visits (alerts closer than {@link #SAME_VISIT_MS} are one visit), and the visits are laid against the
 * loop. Between two visits {@code k} loops apart, {@code k - 1} passes raised nothing; before the first and after
 * the last, every whole loop that fits in the measured window is a pass that raised nothing; a group that is not
 * a whole number of loops (within a quarter loop) after the last pass is a false alert.
 *
 * @param found  passes that raised an alert
 * @param missed passes that raised none
 * @param extra  alert groups that fit no pass: false alerts
 */
record Visits(int found, int missed, int extra) {
    static final long SAME_VISIT_MS = 10_000;

    static Visits of(List<Long> alertTimesMs, long startMs, long endMs, long loopMs) {
        List<Long> times = alertTimesMs.stream().sorted().toList();
        if (times.isEmpty()) {
            return new Visits(0, (int) ((endMs - startMs) / loopMs), 0);
        }
        int groups = 1;
        int missed = 0;
        int extra = 0;
        long groupStart = times.get(0);
        long previous = times.get(0);
        long lastGroup = groupStart;
        for (long t : times.subList(1, times.size())) {
            if (t - previous > SAME_VISIT_MS) {
                double loops = (double) (t - lastGroup) / loopMs;
                long k = Math.round(loops);
                if (k == 0 || Math.abs(loops - k) > 0.25) {
                    extra++;
                } else {
                    groups++;
                    missed += (int) (k - 1);
                    lastGroup = t;
                }
            }
            previous = t;
        }
        missed += (int) ((groupStart - startMs) / loopMs) + (int) ((endMs - lastGroup) / loopMs);
        return new Visits(groups, missed, extra);
    }

    Visits plus(Visits o) {
        return new Visits(found + o.found, missed + o.missed, extra + o.extra);
    }

    double recall() {
        return found + missed == 0 ? Double.NaN : (double) found / (found + missed);
    }
}
