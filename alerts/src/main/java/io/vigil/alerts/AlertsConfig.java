package io.vigil.alerts;

import io.vigil.alerts.mqtt.MqttSettings;
import io.vigil.api.Secrets;
import io.vigil.runtime.config.ConfigReader;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts service's settings ({@code VIGIL_ALERTS_*}).
 *
 * @param webhooks       URLs that receive every alert as a signed JSON POST
 * @param secret         HMAC-SHA256 key of the signature header; null = unsigned (a warning is logged)
 * @param attempts       tries per webhook before the alert goes to the dead-letter topic
 * @param backoffMin     first retry delay; doubles per try
 * @param backoffMax     retry delay cap
 * @param requestTimeout one webhook request's timeout
 * @param token          token the page, stream and recent endpoints require (as a bearer header, or typed into the
 *                       login page); null = open, allowed only when the HTTP server listens on loopback
 * @param sessionTtl     how long a login lasts
 * @param recent         alerts kept in memory for /alerts/recent and for a newly opened page
 * @param concurrency    requests in flight at once per webhook; more alerts wait in that webhook's queue
 * @param mqtt           the MQTT sink, or null for none
 */
public record AlertsConfig(
        List<URI> webhooks,
        String secret,
        int attempts,
        Duration backoffMin,
        Duration backoffMax,
        Duration requestTimeout,
        String token,
        Duration sessionTtl,
        int recent,
        int concurrency,
        MqttSettings mqtt) {

    public static AlertsConfig from(ConfigReader r) {
        List<URI> hooks = new ArrayList<>();
        for (String u : r.list("VIGIL_ALERTS_WEBHOOKS", List.of())) {
            try {
                URI uri = URI.create(u);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("scheme must be http or https");
                }
                hooks.add(uri);
            } catch (IllegalArgumentException e) {
                r.problem("VIGIL_ALERTS_WEBHOOKS entry '" + u + "' is invalid (" + e.getMessage()
                        + "); give comma-separated http(s) URLs");
            }
        }
        return new AlertsConfig(
                hooks,
                r.secret("VIGIL_ALERTS_WEBHOOK_SECRET"),
                r.intValue("VIGIL_ALERTS_ATTEMPTS", 6, 1, 100),
                r.duration(
                        "VIGIL_ALERTS_BACKOFF_MIN",
                        Duration.ofMillis(500),
                        Duration.ofMillis(1),
                        Duration.ofMinutes(1)),
                r.duration(
                        "VIGIL_ALERTS_BACKOFF_MAX",
                        Duration.ofSeconds(30),
                        Duration.ofMillis(1),
                        Duration.ofMinutes(10)),
                r.duration(
                        "VIGIL_ALERTS_WEBHOOK_TIMEOUT",
                        Duration.ofSeconds(5),
                        Duration.ofMillis(100),
                        Duration.ofMinutes(1)),
                r.secret("VIGIL_ALERTS_TOKEN"),
                r.duration(
                        "VIGIL_ALERTS_SESSION_TTL", Duration.ofHours(12), Duration.ofMinutes(1), Duration.ofDays(30)),
                r.intValue("VIGIL_ALERTS_RECENT", 200, 1, 100_000),
                r.intValue("VIGIL_ALERTS_WEBHOOK_CONCURRENCY", 4, 1, 256),
                mqtt(r));
    }

    private static MqttSettings mqtt(ConfigReader r) {
        String url = r.string("VIGIL_ALERTS_MQTT_URL", null);
        String topic = r.string("VIGIL_ALERTS_MQTT_TOPIC", "vigil/alerts");
        String user = r.string("VIGIL_ALERTS_MQTT_USER", null);
        String password = r.secret("VIGIL_ALERTS_MQTT_PASSWORD");
        if (topic.isEmpty() || topic.endsWith("/") || topic.contains("+") || topic.contains("#")) {
            r.problem("VIGIL_ALERTS_MQTT_TOPIC=" + topic + " is invalid: give a topic prefix without + # or a trailing"
                    + " / (default vigil/alerts)");
        }
        if (url == null) {
            if (user != null || password != null) {
                r.problem("VIGIL_ALERTS_MQTT_USER/PASSWORD are set but VIGIL_ALERTS_MQTT_URL is not: give the broker,"
                        + " e.g. tcp://mqtt.local:1883");
            }
            return null;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || !("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
                || uri.getHost() == null
                || uri.getPort() < 1) {
            r.problem("VIGIL_ALERTS_MQTT_URL=" + Secrets.maskUrl(url) + " is invalid: give tcp://host:port or"
                    + " ssl://host:port (e.g. tcp://mqtt.local:1883); credentials go in VIGIL_ALERTS_MQTT_USER and"
                    + " VIGIL_ALERTS_MQTT_PASSWORD");
            return null;
        }
        if (uri.getUserInfo() != null) {
            r.problem("VIGIL_ALERTS_MQTT_URL must not carry credentials: put them in VIGIL_ALERTS_MQTT_USER and"
                    + " VIGIL_ALERTS_MQTT_PASSWORD");
            return null;
        }
        return new MqttSettings(uri, topic, user, password);
    }
}
