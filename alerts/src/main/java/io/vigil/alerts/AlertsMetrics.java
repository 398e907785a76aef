package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vigil.alerts.mqtt.MqttSink;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.runtime.metrics.OwnedMeters;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** The alerts service's meters, removed again when it closes. */
final class AlertsMetrics extends OwnedMeters {
    private final AlertHub hub;
    private final Clock clock;
    private final ConcurrentMap<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latency = new ConcurrentHashMap<>();
    private Counter retries;

    AlertsMetrics(AlertHub hub, Clock clock) {
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    protected void register(MeterRegistry r) {
        retries = own(Counter.builder("vigil.alerts.retries")
                .description("Webhook retries")
                .register(r));
        own(Gauge.builder("vigil.alerts.stream.subscribers", hub, AlertHub::subscribers)
                .description("Live alert stream clients")
                .register(r));
    }

    /** Whether the MQTT sink is connected (1) or not (0). */
    void mqtt(MqttSink sink) {
        own(Gauge.builder("vigil.alerts.mqtt.connected", sink, m -> m.connected() ? 1 : 0)
                .description("Whether the MQTT sink is connected to its broker")
                .register(registry()));
    }

    void retried() {
        retries.increment();
    }

    /** One delivery's outcome on a channel; a delivered one also records its capture-to-delivery latency. */
    void delivered(String channel, String outcome, Instant capturedAt) {
        deliveries
                .computeIfAbsent(
                        channel + "/" + outcome,
                        k -> own(Counter.builder("vigil.alerts.deliveries")
                                .description("Alert deliveries by channel and outcome")
                                .tag("channel", channel)
                                .tag("outcome", outcome)
                                .register(registry())))
                .increment();
        if (outcome.equals("delivered")) {
            latency.computeIfAbsent(
                            channel,
                            c -> own(Timer.builder("vigil.alerts.delivery.latency")
                                    .description("Capture-to-delivery latency")
                                    .tag("channel", c)
                                    .publishPercentileHistogram()
                                    .register(registry())))
                    .record(Math.max(0, clock.millis() - capturedAt.toEpochMilli()), TimeUnit.MILLISECONDS);
        }
    }
}
