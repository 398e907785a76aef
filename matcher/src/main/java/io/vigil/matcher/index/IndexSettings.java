package io.vigil.matcher.index;

/**
 * How the index searches.
 *
 * @param mode       {@code EXACT} scans every embedding; {@code APPROXIMATE} ranks rows by sign sketch and
 *                   re-ranks the closest exactly; {@code AUTO} is exact up to {@code exactLimit} embeddings
 * @param exactLimit embeddings up to which {@code AUTO} searches exactly
 * @param candidates rows re-ranked exactly by an approximate search
 * @param threads    threads one approximate search's sketch pass is split over (1: the searching thread only)
 * @param reach      the similarity an approximate search must not miss (the matcher's threshold): where many rows
 *                   may be this close to a face, its first pass keeps them all (up to 5 % of the rows)
 */
public record IndexSettings(Mode mode, int exactLimit, int candidates, int threads, double reach) {
    public enum Mode {
        AUTO,
        EXACT,
        APPROXIMATE
    }

    /** The matcher's default threshold. */
    public static final double DEFAULT_REACH = 0.40;

    public static final IndexSettings DEFAULT = new IndexSettings(Mode.AUTO, 10_000, 256, 1, DEFAULT_REACH);

    public IndexSettings(Mode mode, int exactLimit, int candidates) {
        this(mode, exactLimit, candidates, 1);
    }

    public IndexSettings(Mode mode, int exactLimit, int candidates, int threads) {
        this(mode, exactLimit, candidates, threads, DEFAULT_REACH);
    }

    public IndexSettings {
        if (mode == null) {
            throw new IllegalArgumentException("index mode is required (auto, exact or approximate)");
        }
        if (exactLimit < 0 || candidates < 1 || threads < 1) {
            throw new IllegalArgumentException("exactLimit must be >= 0, candidates and threads >= 1, were "
                    + exactLimit + ", " + candidates + " and " + threads);
        }
        if (!(reach > 0 && reach < 1)) {
            throw new IllegalArgumentException("reach must be a similarity between 0 and 1, was " + reach);
        }
    }

    public static IndexSettings exact() {
        return new IndexSettings(Mode.EXACT, DEFAULT.exactLimit, DEFAULT.candidates);
    }

    public static IndexSettings approximate(int candidates) {
        return new IndexSettings(Mode.APPROXIMATE, DEFAULT.exactLimit, candidates, 1);
    }

    public IndexSettings withThreads(int n) {
        return new IndexSettings(mode, exactLimit, candidates, n, reach);
    }

    public IndexSettings withReach(double similarity) {
        return new IndexSettings(mode, exactLimit, candidates, threads, similarity);
    }
}
