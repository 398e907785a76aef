package io.vigil.inference.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.api.topic.VigilTopics;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The inference stage: {@code workers} threads, each with its own consumer, ONNX sessions and batch. */
public final class InferenceStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceStage.class);
    public static final String GROUP = "vigil-inference";
    private final CommonConfig common;
    private final InferenceConfig config;
    private final VigilTopics topics;
    private final InferenceMetrics metrics;
    private final List<InferenceWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile boolean started;
    private boolean closed;

    public InferenceStage(CommonConfig common, InferenceConfig config, VigilTopics topics, MeterRegistry registry) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.metrics = new InferenceMetrics(registry);
    }

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public void start() {
        Map<String, Object> producerProps = KafkaClients.producer(common, "vigil-inference");
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, VigilTopics.FRAMES_MAX_MESSAGE_BYTES);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        resources.add(producer);
        DeadLetterPublisher dlq = new DeadLetterPublisher(producer, topics.dlq.name(), "inference", metrics.registry());
        for (int i = 0; i < config.workers(); i++) {
            FaceAnalyzer analyzer = new FaceAnalyzer(config.detector(), config.landmarks(), config.embedder(),
                    config.session(), config.tiling(), config.detectionThreshold(), Math.max(config.batchSize() * 4, 8),
                    config.quality(), metrics);
            resources.add(analyzer);
            if (i == 0) {
                metrics.device(analyzer.device());
            }
            Map<String, Object> consumerProps = KafkaClients.consumer(common, "vigil-inference-" + i, GROUP);
            consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize());
            consumerProps.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, VigilTopics.FRAMES_MAX_MESSAGE_BYTES + 1024 * 1024);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            KafkaClientMetrics clientMetrics = new KafkaClientMetrics(consumer);
            clientMetrics.bindTo(metrics.registry());
            resources.add(clientMetrics);
            InferenceWorker w = new InferenceWorker(consumer, producer, analyzer, dlq, metrics, config, topics.frames.name(),
                    topics.faces.name(), Clock.systemUTC());
            Thread t = new Thread(w, "vigil-inference-" + i);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Inference worker {} died", th.getName(), e));
            workers.add(w);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        started = true;
        LOG.info("Inference started: {} worker(s), batch {} / {} ms, device {}", config.workers(), config.batchSize(),
                config.batchWait().toMillis(), config.session().device());
    }

    @Override
    public boolean ready() {
        return started && threads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        workers.forEach(InferenceWorker::stop);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable c : reversed(resources)) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", c, e.toString());
            }
        }
        resources.clear();
    }

    private static List<AutoCloseable> reversed(List<AutoCloseable> l) {
        List<AutoCloseable> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }
}
