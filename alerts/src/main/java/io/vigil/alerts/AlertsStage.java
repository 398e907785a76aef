package io.vigil.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.alerts.stream.AlertRoutes;
import io.vigil.alerts.webhook.WebhookSender;
import io.vigil.api.alert.Alert;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.topic.VigilTopics;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.metrics.HttpEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The alerts service: consumes {@code alerts} as a consumer group and delivers each alert to every sink (the live
 * stream and page, every webhook). Offsets are committed only once every sink has delivered or given up, so a
 * restart loses nothing; a webhook that gives up sends the alert to the dead-letter topic.
 */
public final class AlertsStage implements Stage {
    public static final String GROUP = "vigil-alerts";
    private static final Logger LOG = LoggerFactory.getLogger(AlertsStage.class);
    private final CommonConfig common;
    private final AlertsConfig config;
    private final VigilTopics topics;
    private final MeterRegistry registry;
    private final Clock clock;
    private final AlertHub hub;
    private final ConcurrentMap<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latency = new ConcurrentHashMap<>();
    private final Counter retries;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private DeadLetterPublisher dlq;
    private WebhookSender webhooks;
    private KafkaClientMetrics clientMetrics;
    private Thread loop;
    private volatile boolean stopping;

    public AlertsStage(CommonConfig common, AlertsConfig config, VigilTopics topics, MeterRegistry registry,
                       HttpEndpoint http, Clock clock) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.clock = clock;
        this.hub = new AlertHub(config.recent(), registry);
        this.retries = Counter.builder("vigil.alerts.retries").description("Webhook retries").register(registry);
        new AlertRoutes(hub, config.token()).register(http);
        if (!config.webhooks().isEmpty() && config.secret() == null) {
            LOG.warn("Webhooks are configured without VIGIL_ALERTS_WEBHOOK_SECRET: receivers cannot verify alerts");
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
        producer = new KafkaProducer<>(KafkaClients.producer(common, "vigil-alerts"), new ByteArraySerializer(), new ByteArraySerializer());
        dlq = new DeadLetterPublisher(producer, topics.dlq.name(), "alerts", registry);
        webhooks = new WebhookSender(HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build(), config, clock,
                (url, attempt, reason) -> retries.increment());
        consumer = new KafkaConsumer<>(KafkaClients.consumer(common, "vigil-alerts", GROUP), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(registry);
        loop = new Thread(this::run, "vigil-alerts");
        loop.start();
        LOG.info("Alerts started: {} webhook(s), stream and page on the HTTP port{}", config.webhooks().size(),
                config.token() == null ? "" : " (bearer token required)");
    }

    private void run() {
        consumer.subscribe(List.of(topics.alerts.name()));
        try {
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                List<CompletableFuture<Void>> pending = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    pending.addAll(deliver(r));
                }
                CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
                producer.flush();
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<CompletableFuture<Void>> deliver(ConsumerRecord<byte[], byte[]> r) {
        Alert alert;
        try {
            alert = topics.alerts.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (alert == null) {
                return List.of();
            }
        } catch (WireFormatException e) {
            dlq.publish(r, "corrupt-record", e.getMessage());
            return List.of();
        }
        hub.publish(alert);
        delivered("stream", "delivered", alert);
        List<CompletableFuture<Void>> out = new ArrayList<>();
        for (URI url : config.webhooks()) {
            out.add(webhooks.send(url, alert.alertId(), r.value()).thenAccept(o -> {
                if (o.delivered()) {
                    delivered("webhook", "delivered", alert);
                } else {
                    delivered("webhook", "failed", alert);
                    LOG.warn("Alert {} not delivered to {}: {}", alert.alertId(), url.getHost(), o.detail());
                    dlq.publish(r, "webhook-failed", url.getHost() + ": " + o.detail());
                }
            }));
        }
        return out;
    }

    private void delivered(String channel, String outcome, Alert alert) {
        deliveries.computeIfAbsent(channel + "/" + outcome, k -> Counter.builder("vigil.alerts.deliveries")
                .description("Alert deliveries by channel and outcome").tag("channel", channel).tag("outcome", outcome)
                .register(registry)).increment();
        if (outcome.equals("delivered") && alert.capturedAt() != null) {
            latency.computeIfAbsent(channel, c -> Timer.builder("vigil.alerts.delivery.latency")
                    .description("Capture-to-delivery latency").tag("channel", c).publishPercentiles(0.5, 0.99)
                    .register(registry)).record(Math.max(0, clock.millis() - alert.capturedAt().toEpochMilli()), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean ready() {
        return loop != null && loop.isAlive();
    }

    @Override
    public void close() {
        stopping = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            clientMetrics.close();
        }
    }
}
