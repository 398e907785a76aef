package io.vigil.matcher.index;

/**
 * How the index searches.
 *
 * @param mode       {@code EXACT} scans every embedding; {@code APPROXIMATE} ranks rows by sign sketch and
 *                   re-ranks the closest exactly; {@code AUTO} is exact up to {@code exactLimit} embeddings
 * @param exactLimit embeddings up to which {@code AUTO} searches exactly
 * @param candidates rows re-ranked exactly by an approximate search
 * @param threads    threads one approximate search's sketch pass is split over (1: the searching thread only)
 */
public record IndexSettings(Mode mode, int exactLimit, int candidates, int threads) {
    public enum Mode {
        AUTO,
        EXACT,
        APPROXIMATE
    }

    public static final IndexSettings DEFAULT = new IndexSettings(Mode.AUTO, 10_000, 64, 1);

    public IndexSettings(Mode mode, int exactLimit, int candidates) {
        this(mode, exactLimit, candidates, 1);
    }

    public IndexSettings {
        if (mode == null) {
            throw new IllegalArgumentException("index mode is required (auto, exact or approximate)");
        }
        if (exactLimit < 0 || candidates < 1 || threads < 1) {
            throw new IllegalArgumentException("exactLimit must be >= 0, candidates and threads >= 1, were "
                    + exactLimit + ", " + candidates + " and " + threads);
        }
    }

    public static IndexSettings exact() {
        return new IndexSettings(Mode.EXACT, DEFAULT.exactLimit, DEFAULT.candidates);
    }

    public static IndexSettings approximate(int candidates) {
        return new IndexSettings(Mode.APPROXIMATE, DEFAULT.exactLimit, candidates, 1);
    }

    public IndexSettings withThreads(int n) {
        return new IndexSettings(mode, exactLimit, candidates, n);
    }
}
