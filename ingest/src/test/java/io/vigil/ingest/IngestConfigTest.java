package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.ingest.camera.Decoding;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.util.Map;

class IngestConfigTest {
    private static IngestConfig read(Map<String, String> env) {
        ConfigReader r = new ConfigReader(env);
        IngestConfig c = IngestConfig.from(r);
        r.finish();
        return c;
    }

    @Test
    void decodingIsCheapByDefaultAndCanBeFull() {
        assertThat(read(Map.of()).decoding()).isEqualTo(Decoding.DEFAULT).isEqualTo(new Decoding(1, false));
        assertThat(read(Map.of("VIGIL_INGEST_DECODE_THREADS", "0", "VIGIL_INGEST_DEBLOCK", "all"))
                        .decoding())
                .isEqualTo(new Decoding(0, true));
    }

    @Test
    void aBadDecodingSettingNamesTheKeyAndWhatItTakes() {
        assertThatThrownBy(() -> read(Map.of("VIGIL_INGEST_DEBLOCK", "some")))
                .hasMessageContaining("VIGIL_INGEST_DEBLOCK")
                .hasMessageContaining("sampled");
        assertThatThrownBy(() -> read(Map.of("VIGIL_INGEST_DECODE_THREADS", "-1")))
                .hasMessageContaining("VIGIL_INGEST_DECODE_THREADS");
    }
}
