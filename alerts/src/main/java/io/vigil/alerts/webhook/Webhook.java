package io.vigil.alerts.webhook;

import io.vigil.api.alert.Alert;

import java.net.URI;
import java.util.Set;

/**
 * One webhook receiver: where alerts go, the key that signs them, and which alerts it wants (empty = all).
 *
 * @param name    how logs, metrics and dead letters name it (never its URL, which may hold a token)
 * @param url     http or https URL
 * @param secret  HMAC-SHA256 key of {@code X-Vigil-Signature}; null = unsigned
 * @param cameras camera ids it wants; empty = every camera
 * @param persons person ids it wants; empty = every person
 */
public record Webhook(String name, URI url, String secret, Set<String> cameras, Set<String> persons) {
    public Webhook {
        cameras = Set.copyOf(cameras);
        persons = Set.copyOf(persons);
    }

    /** Whether this receiver wants the alert. */
    public boolean wants(Alert a) {
        return (cameras.isEmpty() || cameras.contains(a.cameraId()))
                && (persons.isEmpty() || persons.contains(a.personId()));
    }

    @Override
    public String toString() {
        return "Webhook[" + name + " -> " + url.getHost() + ", cameras=" + cameras + ", persons=" + persons + "]";
    }
}
