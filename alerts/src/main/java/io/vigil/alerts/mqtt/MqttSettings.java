package io.vigil.alerts.mqtt;

import java.net.URI;

/**
 * Where the MQTT sink publishes ({@code VIGIL_ALERTS_MQTT_*}).
 *
 * @param url      the broker, {@code tcp://host:1883} or {@code ssl://host:8883}
 * @param topic    the prefix: alerts go to {@code <topic>/<camera id>}, availability to {@code <topic>/availability}
 * @param user     user name, or null
 * @param password password, or null
 */
public record MqttSettings(URI url, String topic, String user, String password) {
    @Override
    public String toString() {
        return "MqttSettings[url=" + url + ", topic=" + topic + ", user=" + user + "]";
    }
}
