package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.alerts.access.Access;
import io.vigil.alerts.evidence.FrameEvidence;
import io.vigil.alerts.mqtt.MqttSink;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.alerts.stream.AlertRoutes;
import io.vigil.alerts.webhook.Webhook;
import io.vigil.alerts.webhook.WebhookSender;
import io.vigil.api.topic.VigilTopics;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.loop.ConsumerLoop;
import io.vigil.runtime.loop.LoopSettings;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The alerts service. Each sink reads the alerts topic on its own, so none waits for another:
 * <ul>
 *   <li>the live stream, page and recent list: a {@link AlertFeed} over every partition, outside any group, so every
 *       replica's viewers see every alert;</li>
 *   <li>webhooks: the consumer group {@value #GROUP} (the supervised {@link ConsumerLoop}), committing an alert once
 *       every webhook has delivered it or sent it to the dead-letter topic; each webhook has its own queue;</li>
 *   <li>MQTT, when configured: the group {@value #MQTT_GROUP}, committing once the MQTT broker has the alert.</li>
 * </ul>
 * A restart loses nothing: each group resumes from its own committed offsets.
 */
public final class AlertsStage implements Stage {
    public static final String GROUP = "vigil-alerts";
    public static final String MQTT_GROUP = "vigil-alerts-mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(AlertsStage.class);
    private final CommonConfig common;
    private final AlertsConfig config;
    private final VigilTopics topics;
    private final MeterRegistry registry;
    private final Clock clock;
    private final AlertHub hub;
    private final AlertsMetrics metrics;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaClientMetrics clientMetrics;
    private ConsumerLoop loop;
    private ConsumerLoop mqttLoop;
    private MqttSink mqtt;
    private AlertFeed feed;
    private final FrameEvidence evidence;

    public AlertsStage(
            CommonConfig common,
            AlertsConfig config,
            VigilTopics topics,
            MeterRegistry registry,
            HttpEndpoint http,
            Clock clock) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.clock = clock;
        this.hub = new AlertHub(config.recent());
        this.metrics = new AlertsMetrics(hub, clock);
        metrics.bindTo(registry);
        if (config.token() == null && !http.loopbackOnly()) {
            throw new IllegalArgumentException("the alerts page and stream would show faces to anyone who can reach "
                    + common.httpHost() + ":" + http.port() + "; set VIGIL_ALERTS_TOKEN to a random secret of at least "
                    + ConfigReader.MIN_SECRET_LENGTH + " characters (e.g. `openssl rand -hex 24`), or"
                    + " VIGIL_HTTP_HOST=127.0.0.1 to serve this machine only");
        }
        Access access = new Access(config.token(), config.sessionTtl(), clock);
        new AlertRoutes(hub, access).register(http);
        evidence = new FrameEvidence(
                () -> KafkaClients.byteConsumer(KafkaClients.reader(common, "vigil-alerts-evidence")),
                topics.frames.name(),
                topics.frames.valueSerde().deserializer(),
                hub,
                access);
        evidence.register(http);
        for (Webhook hook : config.webhooks()) {
            if (hook.secret() == null) {
                LOG.warn(
                        "Webhook {} has no secret (VIGIL_ALERTS_WEBHOOK_SECRET or its own _SECRET): its receiver"
                                + " cannot verify alerts",
                        hook.name());
            }
        }
        long pollInterval = Long.parseLong(common.kafka().getOrDefault("max.poll.interval.ms", "300000"));
        if (!config.webhooks().isEmpty() && config.worstDelivery().toMillis() > pollInterval) {
            throw new IllegalArgumentException("a webhook delivery can take up to "
                    + config.worstDelivery().toSeconds()
                    + " s (VIGIL_ALERTS_ATTEMPTS=" + config.attempts() + " attempts of VIGIL_ALERTS_WEBHOOK_TIMEOUT="
                    + config.requestTimeout().toMillis() + " ms, with backoff up to VIGIL_ALERTS_BACKOFF_MAX="
                    + config.backoffMax().toMillis() + " ms between them), longer than the consumer's"
                    + " max.poll.interval.ms (" + pollInterval + " ms) within which a rebalance must finish: lower"
                    + " the attempts, timeout or backoff, or raise VIGIL_KAFKA_MAX_POLL_INTERVAL_MS");
        }
    }

    @Override
    public String name() {
        return "alerts";
    }

    public AlertHub hub() {
        return hub;
    }

    @Override
    public void start() {
        AlertRecords records = new AlertRecords(topics.alerts.valueSerde().deserializer());
        feed = new AlertFeed(
                () -> KafkaClients.byteConsumer(KafkaClients.reader(common, "vigil-alerts-feed")),
                topics.alerts.name(),
                hub,
                records,
                metrics,
                t -> KafkaAccess.refusal(t, common, "Read"));
        feed.start();
        producer = KafkaClients.byteProducer(KafkaClients.producer(common, "vigil-alerts"));
        DeadLetterPublisher dlq = new DeadLetterPublisher(producer, topics.dlq.name(), "alerts", registry);
        WebhookSender webhooks = new WebhookSender(
                HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build(),
                config,
                clock,
                (url, attempt, reason) -> metrics.retried());
        AlertDispatcher dispatcher = new AlertDispatcher(records, config, webhooks, dlq, metrics);
        loop = new ConsumerLoop(
                        LoopSettings.committing("alerts", topics.alerts.name()),
                        () -> {
                            KafkaConsumer<byte[], byte[]> consumer =
                                    KafkaClients.byteConsumer(KafkaClients.consumer(common, "vigil-alerts", GROUP));
                            clientMetrics = new KafkaClientMetrics(consumer);
                            clientMetrics.bindTo(registry);
                            return consumer;
                        },
                        dispatcher,
                        dlq,
                        registry,
                        t -> KafkaAccess.refusal(t, common, "Read"))
                .start();
        if (config.mqtt() != null) {
            startMqtt(records, dlq);
        }
        LOG.info(
                "Alerts started: {} webhook(s), {}stream and page on the HTTP port{}",
                config.webhooks().size(),
                config.mqtt() == null ? "" : "MQTT to " + config.mqtt().url().getHost() + ", ",
                config.token() == null ? "" : " (bearer token required)");
    }

    private void startMqtt(AlertRecords records, DeadLetterPublisher dlq) {
        try {
            mqtt = new MqttSink(
                    config.mqtt(), "vigil-alerts-" + common.instanceId(), config.backoffMin(), config.backoffMax());
        } catch (MqttException e) {
            throw new IllegalArgumentException(
                    "VIGIL_ALERTS_MQTT_URL=" + config.mqtt().url() + " cannot be used: " + e.getMessage(), e);
        }
        mqtt.start();
        mqttLoop = new ConsumerLoop(
                        LoopSettings.committing("alerts-mqtt", topics.alerts.name()),
                        () -> KafkaClients.byteConsumer(KafkaClients.consumer(common, "vigil-alerts-mqtt", MQTT_GROUP)),
                        new MqttHandler(records, mqtt, metrics),
                        dlq,
                        registry,
                        t -> KafkaAccess.refusal(t, common, "Read"))
                .start();
        metrics.mqtt(mqtt);
    }

    @Override
    public boolean ready() {
        return loop != null && loop.ready() && (mqttLoop == null || mqttLoop.ready()) && feed.ready();
    }

    @Override
    public String failure() {
        if (loop != null && loop.failureText() != null) {
            return loop.failureText();
        }
        return mqttLoop == null ? null : mqttLoop.failureText();
    }

    @Override
    public boolean live() {
        return (loop == null || loop.live()) && (mqttLoop == null || mqttLoop.live());
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        evidence.close();
        if (mqttLoop != null) {
            mqttLoop.close();
        }
        if (mqtt != null) {
            mqtt.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        metrics.close();
    }
}
