package io.vigil.matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.api.frame.CaptureWindow;
import io.vigil.matcher.index.IndexSettings;
import io.vigil.runtime.config.ConfigException;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

class MatcherConfigTest {
    private static final Path HOME = Path.of("/var/lib/vigil");

    @Test
    void searchesExactlyUpToTenThousandEmbeddingsByDefault() {
        MatcherConfig c = MatcherConfig.from(new ConfigReader(Map.of()), "vigil.", HOME, CaptureWindow.DEFAULT);
        assertThat(c.index()).isEqualTo(IndexSettings.DEFAULT);
        assertThat(c.index().mode()).isEqualTo(IndexSettings.Mode.AUTO);
        assertThat(c.index().exactLimit()).isEqualTo(10_000);
    }

    @Test
    void readsTheIndexSettings() {
        ConfigReader r = new ConfigReader(Map.of(
                "VIGIL_MATCHER_INDEX",
                "approximate",
                "VIGIL_MATCHER_INDEX_CANDIDATES",
                "300",
                "VIGIL_MATCHER_INDEX_EXACT_LIMIT",
                "5000",
                "VIGIL_MATCHER_INDEX_THREADS",
                "2",
                "VIGIL_MATCHER_THRESHOLD",
                "0.55"));
        MatcherConfig c = MatcherConfig.from(r, "vigil.", HOME, CaptureWindow.DEFAULT);
        r.finish();
        assertThat(c.index()).isEqualTo(new IndexSettings(IndexSettings.Mode.APPROXIMATE, 5_000, 300, 2, 0.55));
    }

    @Test
    void namesTheAllowedIndexModesWhenGivenAnother() {
        ConfigReader r = new ConfigReader(Map.of("VIGIL_MATCHER_INDEX", "hnsw", "VIGIL_MATCHER_INDEX_CANDIDATES", "0"));
        MatcherConfig.from(r, "vigil.", HOME, CaptureWindow.DEFAULT);
        ConfigException e = catchThrowableOfType(ConfigException.class, r::finish);
        assertThat(e.getMessage())
                .contains("VIGIL_MATCHER_INDEX")
                .contains("hnsw")
                .contains("auto, exact, approximate")
                .contains("VIGIL_MATCHER_INDEX_CANDIDATES");
    }

    @Test
    void refusesAGlobalThresholdBelowTheFloor() {
        ConfigReader r = new ConfigReader(Map.of("VIGIL_MATCHER_THRESHOLD", "0.1"));
        MatcherConfig.from(r, "vigil.", HOME, CaptureWindow.DEFAULT);
        ConfigException e = catchThrowableOfType(ConfigException.class, r::finish);
        assertThat(e.getMessage())
                .contains("VIGIL_MATCHER_THRESHOLD=0.1")
                .contains("VIGIL_MATCHER_THRESHOLD_FLOOR=0.3");
    }
}
