package io.vigil.api.watchlist;

/**
 * How often a stranger raises an alert: the similarity between a face and an enrolled embedding of somebody else,
 * modelled as a normal distribution fitted on real photos (it follows the observed upper tail; see README "False
 * alarms"), and from it the expected false alerts per 1,000 stranger faces for a watchlist of a given size and
 * threshold. The matcher alerts on the best of all enrolled embeddings, so a stranger raises a false alert when any
 * one of them is at or over the threshold: {@code 1 - (1 - p)^embeddings}, with {@code p} the chance that one is.
 * Assumes comparisons are independent (lookalikes and relatives are not): an estimate, not a guarantee.
 *
 * @param mean  mean impostor similarity
 * @param sd    its standard deviation
 * @param pairs how many impostor pairs the fit saw
 */
public record FalseAlarms(double mean, double sd, int pairs) {
    /**
     * Fitted by {@code vigil bench false-alarms} on the project's test photos with the bundled models: 1,289
     * impostor pairs of 60 faces of 35 people (strangers against photos taken elsewhere); {@code FalseAlarmStudyIT}
     * refits it from the photos and checks it.
     */
    public static final FalseAlarms BUNDLED = new FalseAlarms(0.0004, 0.1056, 1289);

    public FalseAlarms {
        if (!Double.isFinite(mean) || !(sd > 0) || pairs < 0) {
            throw new IllegalArgumentException("invalid impostor model: mean " + mean + ", sd " + sd);
        }
    }

    /** The chance that one stranger-to-embedding comparison is at or over {@code t}. */
    public double pairProbability(double t) {
        return upperTail((t - mean) / sd);
    }

    /** Expected false alerts per 1,000 stranger faces against {@code embeddings} enrolled embeddings. */
    public double per1000(double threshold, long embeddings) {
        double p = pairProbability(threshold);
        // 1 - (1 - p)^n without losing a small p to rounding
        return 1000 * -Math.expm1(embeddings * Math.log1p(-p));
    }

    /** The lowest threshold (to 0.01) that keeps false alerts per 1,000 stranger faces at or under {@code max}. */
    public double thresholdFor(double max, long embeddings) {
        for (int t = 0; t <= 100; t++) {
            if (per1000(t / 100.0, embeddings) <= max) {
                return t / 100.0;
            }
        }
        return 1.0;
    }

    /**
     * {@code P(Z >= z)} for a standard normal Z, with a relative error under 1.2e-7 however far in the tail
     * (the complementary error function's Chebyshev fit, Numerical Recipes' erfcc).
     */
    public static double upperTail(double z) {
        double x = z / Math.sqrt(2);
        double ax = Math.abs(x);
        double t = 1 / (1 + 0.5 * ax);
        double erfc = t
                * Math.exp(
                        -ax * ax
                                - 1.26551223
                                + t
                                        * (1.00002368
                                                + t
                                                        * (0.37409196
                                                                + t
                                                                        * (0.09678418
                                                                                + t
                                                                                        * (-0.18628806
                                                                                                + t
                                                                                                        * (0.27886807
                                                                                                                + t
                                                                                                                        * (-1.13520398
                                                                                                                                + t
                                                                                                                                        * (1.48851587
                                                                                                                                                + t
                                                                                                                                                        * (-0.82215223
                                                                                                                                                                + t
                                                                                                                                                                        * 0.17087277)))))))));
        return 0.5 * (x >= 0 ? erfc : 2 - erfc);
    }
}
