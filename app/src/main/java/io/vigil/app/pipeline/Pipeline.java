package io.vigil.app.pipeline;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.UserException;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.lifecycle.StageGroup;
import io.vigil.runtime.metrics.Metrics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Vigil process: optionally the embedded broker, topic setup, the metrics/health endpoint and the chosen stages.
 * Closing stops stages in reverse order, then the endpoint, then the broker.
 */
public final class Pipeline implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private final StageGroup group;
    private final Settings settings;
    private final HttpEndpoint http;
    private final PrometheusMeterRegistry registry;
    private final VigilTopics topics;
    private final List<Stage> stages;

    private Pipeline(
            StageGroup group,
            Settings settings,
            HttpEndpoint http,
            PrometheusMeterRegistry registry,
            VigilTopics topics,
            List<Stage> stages) {
        this.group = group;
        this.settings = settings;
        this.http = http;
        this.registry = registry;
        this.topics = topics;
        this.stages = stages;
    }

    /**
     * @param allowEmbedded start the embedded broker under VIGIL_HOME/kafka when no bootstrap servers are set
     */
    public static Pipeline start(Settings settings, StageKind kind, boolean allowEmbedded) {
        StageGroup group = new StageGroup();
        try {
            if (settings.common().bootstrap() == null) {
                if (!allowEmbedded) {
                    throw new UserException(
                            "no Kafka to connect to: set VIGIL_KAFKA_BOOTSTRAP or --bootstrap"
                                    + " (only 'vigil run all' and 'vigil demo' start an embedded broker)",
                            2);
                }
                EmbeddedKafka kafka =
                        EmbeddedKafka.start(settings.common().home().resolve("kafka"));
                group.add(kafka);
                settings = settings.withBootstrap(kafka.bootstrapServers());
            }
            VigilTopics topics = settings.topics();
            try {
                KafkaAccess.check(settings.common(), Duration.ofSeconds(15));
            } catch (KafkaAccess.UnavailableException e) {
                throw new UserException(e.getMessage(), 1);
            }
            if (settings.common().topicsSetup()) {
                setUpTopics(settings, topics);
            }
            PrometheusMeterRegistry registry =
                    Metrics.prometheus(kind.label(), settings.common().instanceId());
            HttpEndpoint http = new HttpEndpoint(
                    settings.common().httpHost(),
                    settings.common().httpPort(),
                    registry,
                    settings.common().httpLimits());
            group.add(http);
            List<Stage> stages = new ArrayList<>();
            StageContext context = new StageContext(settings, topics, registry, http);
            for (StageKind k : kind.expand()) {
                StageFactory.create(k, context).ifPresent(stages::add);
            }
            for (Stage s : stages) {
                http.readiness(s.name(), s::ready);
                http.liveness(s.name(), s::live);
                group.start(s);
            }
            awaitStarted(stages);
            return new Pipeline(group, settings, http, registry, topics, List.copyOf(stages));
        } catch (RuntimeException e) {
            group.close();
            throw e;
        }
    }

    /**
     * Waits until every stage is ready, so that a stage that cannot work (a missing ACL, say) fails the start with
     * its reason instead of leaving a process that only looks alive; a stage slow to be ready is waited for at most
     * {@link #START_TIMEOUT}, then the process goes on and its readiness probe tells.
     */
    private static void awaitStarted(List<Stage> stages) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Stage s : stages) {
                if (s.failure() != null) {
                    throw new UserException(s.name() + " cannot start: " + s.failure(), 1);
                }
            }
            if (stages.stream().allMatch(Stage::ready)) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserException("interrupted while starting");
            }
        }
        LOG.warn("Not every stage is ready after {} s; going on (see /health/ready)", START_TIMEOUT.toSeconds());
    }

    public static void setUpTopics(Settings settings, VigilTopics topics) {
        try (Admin admin = KafkaClients.admin(settings.common())) {
            TopicSetup.Report report =
                    new TopicSetup(admin, settings.common().replicationFactor()).ensure(topics.specs());
            if (!report.created().isEmpty()) {
                LOG.info("Created topics {}", report.created());
            }
            report.mismatches().forEach(m -> LOG.warn("Topic differs from Vigil's spec: {}", m));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted during topic setup");
        }
    }

    /** Closes {@code resource} when the pipeline stops, before the stages (e.g. a reader of their output). */
    public void closeFirst(AutoCloseable resource) {
        group.add(resource);
    }

    /** Closes {@code resource} when the pipeline stops, after the stages. */
    public void onClose(AutoCloseable resource) {
        group.addFirst(resource);
    }

    public Pipeline closeOnShutdown() {
        group.closeOnShutdown();
        return this;
    }

    public void awaitStopped() throws InterruptedException {
        group.awaitStopped();
    }

    public Settings settings() {
        return settings;
    }

    public String bootstrap() {
        return settings.common().bootstrap();
    }

    public int httpPort() {
        return http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public VigilTopics topics() {
        return topics;
    }

    public List<Stage> stages() {
        return stages;
    }

    @Override
    public void close() {
        group.close();
    }
}
