package io.vigil.matcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vigil.api.topic.VigilTopics;
import io.vigil.matcher.index.FlatIndex;
import io.vigil.matcher.stream.ErasureTicks;
import io.vigil.matcher.stream.MatcherMetrics;
import io.vigil.matcher.stream.MatcherTopology;
import io.vigil.matcher.stream.StreamErrors;
import io.vigil.matcher.stream.Watchlist;
import io.vigil.matcher.stream.WatchlistDeadLetters;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.loop.Failures;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** The matcher stage: the topology run by Kafka Streams, exactly once. */
public final class MatcherStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(MatcherStage.class);
    /** A stream thread failing more often than this within {@link #REPLACEMENT_WINDOW} stops the client. */
    static final int MAX_REPLACEMENTS = 3;

    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final Watchlist watchlist;
    private final MatcherMetrics metrics;
    private final ErasureTicks erasure;
    private final KafkaProducer<byte[], byte[]> dlqProducer;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean closing;
    private volatile String failure;
    private final CommonConfig common;

    public MatcherStage(CommonConfig common, MatcherConfig config, VigilTopics topics, MeterRegistry registry) {
        this.common = common;
        watchlist = new Watchlist(new FlatIndex(config.index()));
        dlqProducer = KafkaClients.byteProducer(KafkaClients.producer(common, "vigil-matcher-dlq"));
        DeadLetterPublisher dlq = new DeadLetterPublisher(dlqProducer, topics.dlq.name(), "matcher", registry);
        LOG.info(
                "Matcher index: {} (exact up to {} embeddings, {} candidates re-ranked, sketch pass on {} thread(s))",
                config.index().mode().name().toLowerCase(Locale.ROOT),
                config.index().exactLimit(),
                config.index().candidates(),
                config.index().threads());
        metrics = new MatcherMetrics(watchlist, config);
        metrics.bindTo(registry);
        erasure = new ErasureTicks(
                dlqProducer,
                List.of(topics.watchlist.name(), topics.enrolmentPhotos.name()),
                common.topicPolicy().watchlistErasureLag());
        WatchlistDeadLetters watchlistDlq = new WatchlistDeadLetters() {
            @Override
            public void send(RecordMetadata where, byte[] key, byte[] value, String reason, String detail) {
                dlq.publish(where.topic(), where.partition(), where.offset(), key, value, null, reason, detail);
            }

            @Override
            public void removed(int partition) {
                erasure.removed(partition);
            }
        };
        Properties props = properties(common, config);
        props.put(StreamErrors.PUBLISHER, dlq);
        streams = new KafkaStreams(MatcherTopology.topology(config, topics, watchlist, metrics, watchlistDlq), props);
        streams.setUncaughtExceptionHandler(this::uncaught);
        streams.setStateListener((now, before) -> LOG.info("Matcher {} -> {}", before, now));
        // state-store meters carry a store-type tag key that differs between RocksDB and in-memory stores, which
        // Prometheus cannot hold under one name: keep the thread, task and client meters only
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("kafka.stream.state"));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    static Properties properties(CommonConfig common, MatcherConfig config) {
        if (common.bootstrap() == null) {
            throw new IllegalStateException("no Kafka bootstrap servers: set VIGIL_KAFKA_BOOTSTRAP or --bootstrap");
        }
        Properties p = new Properties();
        // unprefixed client settings reach every client Kafka Streams makes: main, restore and global consumers,
        // producers, admin
        p.putAll(common.kafka());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, common.bootstrap());
        p.put(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId() + "-" + common.instanceId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrors.class);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrors.class);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamErrors.class);
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.threads());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) common.replicationFactor());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // static membership: close() can then remove this member from the group at once, so that a restarted
        // instance does not wait a session timeout (45 s) for the old member to expire
        p.put(
                StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                config.applicationId() + "-" + common.instanceId());
        return p;
    }

    @Override
    public String name() {
        return "matcher";
    }

    @Override
    public void start() {
        streams.start();
    }

    /**
     * A failing stream thread is replaced, unless it failed {@link #MAX_REPLACEMENTS} times within
     * {@link #REPLACEMENT_WINDOW}: then the client stops and liveness goes DOWN, so the process is restarted.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse uncaught(Throwable e) {
        long now = System.nanoTime();
        synchronized (replacements) {
            replacements.addLast(now);
            while (!replacements.isEmpty() && now - replacements.peekFirst() > REPLACEMENT_WINDOW.toNanos()) {
                replacements.removeFirst();
            }
            if (Failures.refused(e)) {
                // the cluster refused this client: another thread would be refused too
                failure = KafkaAccess.refusal(e, common, "Read");
                LOG.error("Matcher stopped: {}", failure);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            if (replacements.size() > MAX_REPLACEMENTS || Failures.fatal(e)) {
                failure = "stream thread failed " + replacements.size() + " times: " + Failures.describe(e);
                LOG.error(
                        "Matcher stream thread failed {} times within {} min; stopping the matcher (liveness DOWN)",
                        replacements.size(),
                        REPLACEMENT_WINDOW.toMinutes(),
                        e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        LOG.error("Matcher stream thread failed; replacing it", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** Down once Kafka Streams has failed or stopped on its own. */
    @Override
    public boolean live() {
        KafkaStreams.State s = streams.state();
        return closing
                || !(s == KafkaStreams.State.ERROR
                        || s == KafkaStreams.State.PENDING_ERROR
                        || s == KafkaStreams.State.NOT_RUNNING
                        || s == KafkaStreams.State.PENDING_SHUTDOWN);
    }

    /** People held by this instance's watchlist. */
    public int watchlistSize() {
        return watchlist.size();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    @Override
    public void close() {
        // leave the group now: otherwise a restarted instance waits for the old member's session to expire
        closing = true;
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        erasure.close();
        dlqProducer.close(Duration.ofSeconds(5));
        metrics.close();
    }
}
