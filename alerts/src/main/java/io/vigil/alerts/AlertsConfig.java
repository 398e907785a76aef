package io.vigil.alerts;

import io.vigil.alerts.mqtt.MqttSettings;
import io.vigil.alerts.webhook.Webhook;
import io.vigil.api.Ids;
import io.vigil.api.Secrets;
import io.vigil.runtime.config.ConfigReader;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The alerts service's settings ({@code VIGIL_ALERTS_*}).
 *
 * @param webhooks       receivers of alerts as signed JSON POSTs: those of {@code VIGIL_ALERTS_WEBHOOKS} (every alert,
 *                       the common secret) and the named ones ({@code VIGIL_ALERTS_WEBHOOK_<NAME>_URL}, with their
 *                       own {@code _SECRET}, {@code _CAMERAS}, {@code _PERSONS})
 * @param secret         the common HMAC-SHA256 key of the signature header; null = unsigned (a warning is logged)
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
        List<Webhook> webhooks,
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

    private static final String NAMED = "VIGIL_ALERTS_WEBHOOK_";
    private static final Set<String> COMMON_WEBHOOK_KEYS =
            Set.of("VIGIL_ALERTS_WEBHOOK_SECRET", "VIGIL_ALERTS_WEBHOOK_TIMEOUT", "VIGIL_ALERTS_WEBHOOK_CONCURRENCY");
    private static final Set<String> NAMED_FIELDS = Set.of("url", "secret", "cameras", "persons");

    public static AlertsConfig from(ConfigReader r) {
        String secret = r.secret("VIGIL_ALERTS_WEBHOOK_SECRET");
        List<Webhook> hooks = new ArrayList<>();
        int n = 0;
        for (String u : r.list("VIGIL_ALERTS_WEBHOOKS", List.of())) {
            URI uri = webhookUrl(r, "VIGIL_ALERTS_WEBHOOKS entry", u);
            n++;
            if (uri != null) {
                hooks.add(new Webhook("webhook-" + n, uri, secret, Set.of(), Set.of()));
            }
        }
        hooks.addAll(named(r, secret));
        return new AlertsConfig(
                hooks,
                secret,
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

    /** {@code VIGIL_ALERTS_WEBHOOK_<NAME>_URL} and its {@code _SECRET}, {@code _CAMERAS}, {@code _PERSONS}. */
    private static List<Webhook> named(ConfigReader r, String commonSecret) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        for (Map.Entry<String, String> e :
                r.prefixed(NAMED, COMMON_WEBHOOK_KEYS).entrySet()) {
            String key = e.getKey(); // e.g. "home.assistant.url"
            int dot = key.lastIndexOf('.');
            String field = dot < 0 ? key : key.substring(dot + 1);
            if (dot <= 0 || !NAMED_FIELDS.contains(field)) {
                r.problem(NAMED + key.toUpperCase(Locale.ROOT).replace('.', '_') + " is not a webhook setting: name"
                        + " a webhook with " + NAMED + "<NAME>_URL, and give it _SECRET, _CAMERAS or _PERSONS");
                continue;
            }
            byName.computeIfAbsent(key.substring(0, dot), k -> new HashMap<>()).put(field, e.getValue());
        }
        List<Webhook> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
            String name = e.getKey().replace('.', '-');
            String prefix = NAMED + e.getKey().toUpperCase(Locale.ROOT).replace('.', '_');
            Map<String, String> f = e.getValue();
            if (f.get("url") == null) {
                r.problem(prefix + "_URL is missing: webhook " + name + " has settings but no URL");
                continue;
            }
            URI uri = webhookUrl(r, prefix + "_URL", f.get("url"));
            String own = f.containsKey("secret") ? r.secret(prefix + "_SECRET") : commonSecret;
            if (uri != null) {
                out.add(new Webhook(name, uri, own, ids(r, prefix + "_CAMERAS", f), ids(r, prefix + "_PERSONS", f)));
            }
        }
        return out;
    }

    private static Set<String> ids(ConfigReader r, String key, Map<String, String> fields) {
        String field = key.substring(key.lastIndexOf('_') + 1).toLowerCase(Locale.ROOT);
        Set<String> out = new TreeSet<>();
        for (String id : r.list(key, List.of())) {
            if (Ids.problem("id", id) != null) {
                r.problem(key + " entry '" + id + "' is not an id (A-Z a-z 0-9 . _ -, at most 64)");
            } else {
                out.add(id);
            }
        }
        return fields.containsKey(field) ? out : Set.of();
    }

    private static URI webhookUrl(ConfigReader r, String what, String u) {
        try {
            URI uri = URI.create(u);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("scheme must be http or https, with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            r.problem(what + " '" + Secrets.maskUrl(u) + "' is invalid (" + e.getMessage() + "); give http(s) URLs");
            return null;
        }
    }

    /**
     * The longest one alert's delivery to one webhook can take: every attempt to its deadline, and the backoff
     * between them at its longest.
     */
    public Duration worstDelivery() {
        long ms = attempts * requestTimeout.toMillis();
        for (int i = 1; i < attempts; i++) {
            ms += Math.min(backoffMax.toMillis(), backoffMin.toMillis() << Math.min(i - 1, 20));
        }
        return Duration.ofMillis(ms);
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
