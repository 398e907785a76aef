package io.vigil.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.api.topic.VigilTopics;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.worker.FrameBatcher;
import io.vigil.inference.worker.InferenceMetrics;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.loop.ConsumerLoop;
import io.vigil.runtime.loop.LoopSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The inference stage: {@code workers} supervised consumer loops, each with its own consumer, ONNX sessions and
 * batch ({@link FrameBatcher}), sharing one producer.
 */
public final class InferenceStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceStage.class);
    public static final String GROUP = "vigil-inference";
    private final CommonConfig common;
    private final InferenceConfig config;
    private final VigilTopics topics;
    private final MeterRegistry registry;
    private final InferenceMetrics metrics;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private boolean closed;

    public InferenceStage(CommonConfig common, InferenceConfig config, VigilTopics topics, MeterRegistry registry) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.metrics = new InferenceMetrics();
    }

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public void start() {
        metrics.bindTo(registry);
        resources.add(metrics);
        Map<String, Object> producerProps = KafkaClients.producer(common, "vigil-inference");
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, VigilTopics.FACES_MAX_MESSAGE_BYTES);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.byteProducer(producerProps);
        resources.add(() -> producer.close(Duration.ofSeconds(5)));
        DeadLetterPublisher dlq = new DeadLetterPublisher(producer, topics.dlq.name(), "inference", registry);
        for (int i = 0; i < config.workers(); i++) {
            FaceAnalyzer analyzer = config.analyzer(Math.max(config.batchSize() * 4, 8), metrics);
            resources.add(analyzer);
            if (i == 0) {
                metrics.device(analyzer.device());
            }
            Map<String, Object> consumerProps = KafkaClients.consumer(common, "vigil-inference-" + i, GROUP);
            consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
            consumerProps.put(
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    VigilTopics.FRAMES_MAX_MESSAGE_BYTES + 1024 * 1024);
            FrameBatcher batcher = new FrameBatcher(
                    producer,
                    analyzer,
                    metrics,
                    config,
                    common.captureWindow(),
                    topics.frames,
                    topics.faces,
                    Clock.systemUTC());
            LoopSettings settings = LoopSettings.committing("inference-" + i, topics.frames.name())
                    .withMaxInFlight(config.batchSize() * 8);
            loops.add(new ConsumerLoop(
                    settings,
                    () -> {
                        KafkaConsumer<byte[], byte[]> consumer = KafkaClients.byteConsumer(consumerProps);
                        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(consumer);
                        clientMetrics.bindTo(registry);
                        resources.add(clientMetrics);
                        return consumer;
                    },
                    batcher,
                    dlq,
                    registry,
                    t -> KafkaAccess.refusal(t, common, "Read")));
        }
        loops.forEach(ConsumerLoop::start);
        LOG.info(
                "Inference started: {} worker(s), batch {} / {} ms, device {}",
                config.workers(),
                config.batchSize(),
                config.batchWait().toMillis(),
                config.session().device());
    }

    @Override
    public boolean ready() {
        return !loops.isEmpty() && loops.stream().allMatch(ConsumerLoop::ready);
    }

    @Override
    public String failure() {
        return loops.stream()
                .map(ConsumerLoop::failureText)
                .filter(f -> f != null)
                .findFirst()
                .orElse(null);
    }

    @Override
    public boolean live() {
        return loops.stream().allMatch(ConsumerLoop::live);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        loops.forEach(ConsumerLoop::close);
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
    }
}
