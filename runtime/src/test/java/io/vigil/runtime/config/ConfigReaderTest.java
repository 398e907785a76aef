package io.vigil.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.runtime.http.HttpLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

class ConfigReaderTest {
    enum Device {
        CPU,
        CUDA,
        AUTO
    }

    @Test
    void readsTypedValuesAndDefaults() {
        ConfigReader r = new ConfigReader(Map.of(
                "VIGIL_A", "7", "VIGIL_B", "2.5", "VIGIL_C", "500ms", "VIGIL_D", "cuda", "VIGIL_E", "x, y,,z",
                "VIGIL_F", "yes", "PATH", "/bin"));
        assertThat(r.intValue("VIGIL_A", 1, 0, 10)).isEqualTo(7);
        assertThat(r.doubleValue("VIGIL_B", 1, 0, 10)).isEqualTo(2.5);
        assertThat(r.duration("VIGIL_C", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
                .isEqualTo(Duration.ofMillis(500));
        assertThat(r.enumValue("VIGIL_D", Device.class, Device.CPU)).isEqualTo(Device.CUDA);
        assertThat(r.list("VIGIL_E", List.of())).containsExactly("x", "y", "z");
        assertThat(r.bool("VIGIL_F", false)).isTrue();
        assertThat(r.intValue("VIGIL_MISSING", 42, 0, 100)).isEqualTo(42);
        r.finish();
    }

    @Test
    void reportsEveryProblemTogetherNamingKeyValueAndFix() {
        ConfigReader r = new ConfigReader(Map.of(
                "VIGIL_PORT",
                "http",
                "VIGIL_FPS",
                "99",
                "VIGIL_DEVICE",
                "tpu",
                "VIGIL_COOLDOWN",
                "soon",
                "VIGIL_TYPO_KEY",
                "1"));
        r.intValue("VIGIL_PORT", 9400, 0, 65535);
        r.doubleValue("VIGIL_FPS", 5, 0.1, 30);
        r.enumValue("VIGIL_DEVICE", Device.class, Device.CPU);
        r.duration("VIGIL_COOLDOWN", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofHours(24));

        ConfigException e = catchThrowableOfType(ConfigException.class, r::finish);

        assertThat(e.problems()).hasSize(5);
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p)
                        .contains("VIGIL_PORT=http")
                        .contains("expected an integer from 0 to 65535")
                        .contains("default 9400"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("VIGIL_FPS=99").contains("0.1 to 30"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("VIGIL_DEVICE=tpu").contains("cpu, cuda, auto"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("VIGIL_COOLDOWN=soon").contains("default 1m"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("VIGIL_TYPO_KEY").contains("not a Vigil setting"));
        assertThat(e.getMessage()).contains("5 problems");
    }

    @Test
    void environmentOverridesTheFileAndFileKeysMayUseDots() {
        Properties file = new Properties();
        file.setProperty("vigil.ingest.fps", "3");
        file.setProperty("VIGIL_HTTP_PORT", "9500");
        ConfigReader r = new ConfigReader(Map.of("VIGIL_HTTP_PORT", "9600"), file, "vigil.properties");
        assertThat(r.doubleValue("VIGIL_INGEST_FPS", 5, 0.1, 30)).isEqualTo(3);
        assertThat(r.intValue("VIGIL_HTTP_PORT", 9400, 0, 65535)).isEqualTo(9600);
        r.finish();
    }

    @Test
    void namesTheFileAValueCameFrom() {
        Properties file = new Properties();
        file.setProperty("vigil.http.port", "-1");
        ConfigReader r = new ConfigReader(Map.of(), file, "/etc/vigil.properties");
        r.intValue("VIGIL_HTTP_PORT", 9400, 0, 65535);
        assertThatThrownBy(r::finish).hasMessageContaining("from /etc/vigil.properties");
    }

    @Test
    void commonConfigRejectsABadPrefix() {
        ConfigReader r = new ConfigReader(Map.of("VIGIL_TOPIC_PREFIX", "bad prefix!"));
        CommonConfig.from(r);
        assertThatThrownBy(r::finish).hasMessageContaining("VIGIL_TOPIC_PREFIX=bad prefix!");
    }

    @Test
    void refusesShortPlaceholderAndRepetitiveSecretsWithoutRepeatingThem() {
        for (String weak : List.of("hunter2", "change-me-change-me", "my-alerts-token-2026", "abababababababababab")) {
            ConfigReader r = new ConfigReader(Map.of("VIGIL_ALERTS_TOKEN", weak));
            assertThat(r.secret("VIGIL_ALERTS_TOKEN")).isNull();
            assertThatThrownBy(r::finish)
                    .hasMessageContaining("VIGIL_ALERTS_TOKEN")
                    .hasMessageContaining("openssl rand -hex 24")
                    .hasMessageNotContaining(weak);
        }
        ConfigReader r = new ConfigReader(Map.of("VIGIL_ALERTS_TOKEN", "4d2b9e7f1a3c6085e2d1"));
        assertThat(r.secret("VIGIL_ALERTS_TOKEN")).isEqualTo("4d2b9e7f1a3c6085e2d1");
        r.finish();
        assertThat(ConfigReader.weakness("hunter2")).isEqualTo("too short (7 characters)");
        assertThat(ConfigReader.weakness("change-me-change-me")).isEqualTo("a placeholder (it contains 'changeme')");
        assertThat(ConfigReader.weakness("abababababababababab")).isEqualTo("too repetitive (2 distinct characters)");
    }

    @Test
    void readsTheHttpLimitsAndListensOnLoopbackByDefault() {
        CommonConfig defaults = CommonConfig.from(new ConfigReader(Map.of()));
        assertThat(defaults.httpHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.httpLimits()).isEqualTo(HttpLimits.DEFAULT);
        ConfigReader r = new ConfigReader(Map.of(
                "VIGIL_HTTP_THREADS", "8",
                "VIGIL_HTTP_MAX_STREAMS", "100",
                "VIGIL_HTTP_HEADER_TIMEOUT", "2s",
                "VIGIL_HTTP_MAX_CONNECTIONS", "3"));
        CommonConfig c = CommonConfig.from(r);
        assertThat(c.httpLimits().threads()).isEqualTo(8);
        assertThat(c.httpLimits().maxStreams()).isEqualTo(100);
        assertThat(c.httpLimits().headerTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(r::finish).hasMessageContaining("VIGIL_HTTP_MAX_CONNECTIONS=3");
    }
}
