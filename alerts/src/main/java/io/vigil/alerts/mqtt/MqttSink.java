package io.vigil.alerts.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes alerts to an MQTT broker (Home Assistant, Node-RED, Frigate-style setups) with Eclipse Paho: QoS 1, one
 * topic per camera under the configured prefix, the same JSON as the alerts topic. {@code <prefix>/availability} is
 * {@code online} while connected and, as the retained last will, {@code offline} when the connection is lost. A
 * publish completes when the broker acknowledges it (PUBACK); until then it is retried, so the alerts loop commits an
 * alert's offset only once MQTT has it (at least once: a receiver drops duplicates by {@code alertId}).
 */
public final class MqttSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSink.class);
    private static final int QOS = 1;
    private static final int MAX_IN_FLIGHT = 64;
    private final MqttSettings settings;
    private final MqttAsyncClient client;
    private final MqttConnectOptions options;
    private final ScheduledExecutorService retries;
    private final Duration backoffMin;
    private final Duration backoffMax;
    private volatile boolean closed;

    public MqttSink(MqttSettings settings, String clientId, Duration backoffMin, Duration backoffMax)
            throws MqttException {
        this.settings = settings;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.client = new MqttAsyncClient(settings.url().toString(), clientId, new MemoryPersistence());
        this.options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);
        options.setCleanSession(true);
        options.setMaxInflight(MAX_IN_FLIGHT);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        options.setWill(availabilityTopic(), "offline".getBytes(StandardCharsets.UTF_8), QOS, true);
        if (settings.user() != null) {
            options.setUserName(settings.user());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().toCharArray());
        }
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alerts-mqtt-retry");
            t.setDaemon(true);
            return t;
        });
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                LOG.info("MQTT connected to {}{}", host(), reconnect ? " again" : "");
                announce("online");
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("MQTT connection to {} lost ({}); reconnecting", host(), cause == null ? "closed" : cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    }

    /** Connects in the background, retrying until the broker answers (then Paho reconnects by itself). */
    public void start() {
        connect(backoffMin);
    }

    public boolean connected() {
        return client.isConnected();
    }

    /** The topic of a camera's alerts: the prefix, then the camera id with MQTT's special characters replaced. */
    public String topicFor(String cameraId) {
        StringBuilder b = new StringBuilder(cameraId.length());
        for (char c : cameraId.toCharArray()) {
            b.append(c == '/' || c == '+' || c == '#' || c < 0x20 ? '_' : c);
        }
        return settings.topic() + "/" + b;
    }

    public String availabilityTopic() {
        return settings.topic() + "/availability";
    }

    /** Publishes one alert's JSON; completes when the broker has acknowledged it. */
    public CompletableFuture<Void> publish(String cameraId, byte[] json) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(topicFor(cameraId), json, done, 1);
        return done;
    }

    private void attempt(String topic, byte[] json, CompletableFuture<Void> done, int n) {
        if (closed) {
            done.completeExceptionally(new IllegalStateException("the MQTT sink is closed"));
            return;
        }
        try {
            client.publish(topic, json, QOS, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retry(topic, json, done, n, String.valueOf(e));
                }
            });
        } catch (MqttException e) {
            retry(topic, json, done, n, e.getMessage());
        }
    }

    private void retry(String topic, byte[] json, CompletableFuture<Void> done, int n, String reason) {
        long delay = Math.min(backoffMax.toMillis(), backoffMin.toMillis() << Math.min(n - 1, 20));
        if (n == 1 || n % 10 == 0) {
            LOG.warn("MQTT publish to {} failed ({}); retrying", host(), reason);
        }
        if (!closed) {
            retries.schedule(() -> attempt(topic, json, done, n + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void connect(Duration wait) {
        if (closed) {
            return;
        }
        try {
            client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {}

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.warn(
                            "MQTT broker {} refused or unreachable ({}); trying again in {} ms",
                            host(),
                            e,
                            wait.toMillis());
                    Duration next = wait.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : wait.multipliedBy(2);
                    retries.schedule(() -> connect(next), wait.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        } catch (MqttException e) {
            LOG.warn("MQTT connect to {} failed: {}", host(), e.getMessage());
        }
    }

    private void announce(String state) {
        try {
            client.publish(availabilityTopic(), state.getBytes(StandardCharsets.UTF_8), QOS, true);
        } catch (MqttException e) {
            LOG.warn("MQTT availability not published: {}", e.getMessage());
        }
    }

    private String host() {
        return settings.url().getHost() + ":" + settings.url().getPort();
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(availabilityTopic(), "offline".getBytes(StandardCharsets.UTF_8), QOS, true)
                        .waitForCompletion(2_000);
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect: {}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT close: {}", e.getMessage());
        }
    }
}
