package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.alerts.webhook.Webhook;
import io.vigil.runtime.config.ConfigException;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

class AlertsConfigTest {
    private static final String COMMON = "9f1c2e7a4b6d8035c1e2";
    private static final String OWN = "5e8a2c4f7b1d3960e4a7";

    private static AlertsConfig read(Map<String, String> env) {
        ConfigReader r = new ConfigReader(env);
        AlertsConfig c = AlertsConfig.from(r);
        r.finish();
        return c;
    }

    @Test
    void namedWebhooksHaveTheirOwnSecretsAndFilters() {
        AlertsConfig c = read(Map.of(
                "VIGIL_ALERTS_WEBHOOKS", "https://all.example/hook",
                "VIGIL_ALERTS_WEBHOOK_SECRET", COMMON,
                "VIGIL_ALERTS_WEBHOOK_HOME_ASSISTANT_URL", "http://ha.local:8123/api/webhook/vigil",
                "VIGIL_ALERTS_WEBHOOK_HOME_ASSISTANT_SECRET", OWN,
                "VIGIL_ALERTS_WEBHOOK_HOME_ASSISTANT_CAMERAS", "gate,lobby",
                "VIGIL_ALERTS_WEBHOOK_SECURITY_URL", "https://soc.example/in",
                "VIGIL_ALERTS_WEBHOOK_SECURITY_PERSONS", "p-017"));
        assertThat(c.webhooks())
                .containsExactly(
                        new Webhook("webhook-1", URI.create("https://all.example/hook"), COMMON, Set.of(), Set.of()),
                        new Webhook(
                                "home-assistant",
                                URI.create("http://ha.local:8123/api/webhook/vigil"),
                                OWN,
                                Set.of("gate", "lobby"),
                                Set.of()),
                        new Webhook(
                                "security", URI.create("https://soc.example/in"), COMMON, Set.of(), Set.of("p-017")));
        Webhook ha = c.webhooks().get(1);
        assertThat(ha.wants(AlertsIT.alert("gate", "p-1", 1))).isTrue();
        assertThat(ha.wants(AlertsIT.alert("door", "p-1", 1))).isFalse();
        Webhook soc = c.webhooks().get(2);
        assertThat(soc.wants(AlertsIT.alert("door", "p-017", 1))).isTrue();
        assertThat(soc.wants(AlertsIT.alert("door", "p-018", 1))).isFalse();
    }

    @Test
    void badWebhookSettingsAreReportedTogetherWithoutShowingSecrets() {
        assertThatThrownBy(() -> read(Map.of(
                        "VIGIL_ALERTS_WEBHOOK_HA_SECRET", OWN,
                        "VIGIL_ALERTS_WEBHOOK_SOC_URL", "ftp://soc.example/in",
                        "VIGIL_ALERTS_WEBHOOK_SOC_CAMERA", "gate",
                        "VIGIL_ALERTS_WEBHOOK_X_URL", "https://x.example/in",
                        "VIGIL_ALERTS_WEBHOOK_X_SECRET", "changeme",
                        "VIGIL_ALERTS_WEBHOOK_X_CAMERAS", "gate,bad id")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("VIGIL_ALERTS_WEBHOOK_HA_URL is missing")
                .hasMessageContaining("VIGIL_ALERTS_WEBHOOK_SOC_URL 'ftp://soc.example/in' is invalid")
                .hasMessageContaining("VIGIL_ALERTS_WEBHOOK_SOC_CAMERA is not a webhook setting")
                .hasMessageContaining("VIGIL_ALERTS_WEBHOOK_X_SECRET")
                .hasMessageContaining("'bad id' is not an id")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(OWN, "changeme"));
    }

    @Test
    void theWorstDeliveryCountsEveryAttemptAndTheBackoffBetween() {
        AlertsConfig c = read(Map.of(
                "VIGIL_ALERTS_ATTEMPTS", "4",
                "VIGIL_ALERTS_WEBHOOK_TIMEOUT", "2s",
                "VIGIL_ALERTS_BACKOFF_MIN", "1s",
                "VIGIL_ALERTS_BACKOFF_MAX", "3s"));
        // 4 x 2 s, and 1 + 2 + 3 s between
        assertThat(c.worstDelivery()).isEqualTo(Duration.ofSeconds(14));
    }

    @Test
    void mqttNeedsAUsableUrlWithoutCredentials() {
        assertThat(read(Map.of()).mqtt()).isNull();
        assertThat(read(Map.of("VIGIL_ALERTS_MQTT_URL", "ssl://mqtt.local:8883"))
                        .mqtt()
                        .topic())
                .isEqualTo("vigil/alerts");
        assertThatThrownBy(() -> read(Map.of("VIGIL_ALERTS_MQTT_URL", "mqtt://mqtt.local")))
                .hasMessageContaining("tcp://host:port or ssl://host:port");
        assertThatThrownBy(() -> read(Map.of("VIGIL_ALERTS_MQTT_URL", "tcp://u:hunter2@mqtt.local:1883")))
                .hasMessageContaining("must not carry credentials")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> read(Map.of("VIGIL_ALERTS_MQTT_USER", "vigil")))
                .hasMessageContaining("VIGIL_ALERTS_MQTT_URL is not");
        assertThatThrownBy(() -> read(
                        Map.of("VIGIL_ALERTS_MQTT_URL", "tcp://mqtt.local:1883", "VIGIL_ALERTS_MQTT_TOPIC", "home/#")))
                .hasMessageContaining("VIGIL_ALERTS_MQTT_TOPIC=home/#");
    }
}
