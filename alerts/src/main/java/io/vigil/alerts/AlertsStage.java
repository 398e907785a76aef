package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.alerts.access.Access;
import io.vigil.alerts.stream.AlertHub;
import io.vigil.alerts.stream.AlertRoutes;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * The alerts service: consumes {@code alerts} as a consumer group (the supervised {@link ConsumerLoop}) and delivers
 * each alert to every sink (the live stream and page, every webhook). Offsets are committed only once every sink has
 * delivered or given up, so a restart loses nothing; a webhook that gives up sends the alert to the dead-letter topic.
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
    private final AlertsMetrics metrics;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaClientMetrics clientMetrics;
    private ConsumerLoop loop;

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
        new AlertRoutes(hub, new Access(config.token(), config.sessionTtl(), clock)).register(http);
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
        producer = KafkaClients.byteProducer(KafkaClients.producer(common, "vigil-alerts"));
        DeadLetterPublisher dlq = new DeadLetterPublisher(producer, topics.dlq.name(), "alerts", registry);
        WebhookSender webhooks = new WebhookSender(
                HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build(),
                config,
                clock,
                (url, attempt, reason) -> metrics.retried());
        AlertDispatcher dispatcher =
                new AlertDispatcher(topics.alerts.valueSerde().deserializer(), config, hub, webhooks, dlq, metrics);
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
        LOG.info(
                "Alerts started: {} webhook(s), stream and page on the HTTP port{}",
                config.webhooks().size(),
                config.token() == null ? "" : " (bearer token required)");
    }

    @Override
    public boolean ready() {
        return loop != null && loop.ready();
    }

    @Override
    public String failure() {
        return loop == null ? null : loop.failureText();
    }

    @Override
    public boolean live() {
        return loop == null || loop.live();
    }

    @Override
    public void close() {
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
