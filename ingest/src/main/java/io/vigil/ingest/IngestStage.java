package io.vigil.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.VigilTopics;
import io.vigil.ingest.camera.CameraRunner;
import io.vigil.ingest.camera.CameraStatusReporter;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.kafka.RateLimitedLog;
import io.vigil.runtime.lifecycle.Stage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ingest stage. Workers form one consumer group on the compacted {@code cameras} topic: each owns the cameras of
 * its partitions. On assignment it re-reads those partitions from the beginning, and once caught up starts the
 * cameras they hold; later records add, change or remove cameras; revoked partitions stop theirs. Offsets are never
 * committed: the topic itself is the state.
 */
public final class IngestStage implements Stage {
    public static final String GROUP = "vigil-ingest";
    private static final Logger LOG = LoggerFactory.getLogger(IngestStage.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 1000);
    private final CommonConfig common;
    private final IngestConfig config;
    private final VigilTopics topics;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Counter invalidCameras;
    private final Map<TopicPartition, Map<String, CameraSpec>> desired = new HashMap<>();
    private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
    private final Map<String, CameraRunner> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-status");
        t.setDaemon(true);
        return t;
    });
    private final java.util.Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    private KafkaProducer<String, Frame> frames;
    private KafkaProducer<byte[], byte[]> dlqProducer;
    private DeadLetterPublisher dlq;
    private KafkaProducer<String, CameraStatus> statuses;
    private KafkaConsumer<String, byte[]> consumer;
    private CameraStatusReporter reporter;
    private List<KafkaClientMetrics> clientMetrics = List.of();
    private Thread loop;
    private volatile boolean stopping;
    private volatile boolean assigned;

    public IngestStage(CommonConfig common, IngestConfig config, VigilTopics topics, MeterRegistry registry, Clock clock) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.clock = clock;
        this.invalidCameras = Counter.builder("vigil.ingest.cameras.invalid")
                .description("Camera records that could not be read and were skipped").register(registry);
        Gauge.builder("vigil.ingest.cameras.active", running, Map::size)
                .description("Cameras this worker decodes").register(registry);
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public void start() {
        Map<String, Object> p = KafkaClients.producer(common, "vigil-ingest");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, VigilTopics.FRAMES_MAX_MESSAGE_BYTES);
        frames = new KafkaProducer<>(p, topics.frames.keySerde().serializer(), topics.frames.valueSerde().serializer());
        statuses = new KafkaProducer<>(KafkaClients.producer(common, "vigil-ingest-status"),
                topics.cameraStatus.keySerde().serializer(), topics.cameraStatus.valueSerde().serializer());
        dlqProducer = new KafkaProducer<>(KafkaClients.producer(common, "vigil-ingest-dlq"),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
        dlq = new DeadLetterPublisher(dlqProducer, topics.dlq.name(), "ingest", registry);
        reporter = new CameraStatusReporter(s -> statuses.send(new ProducerRecord<>(topics.cameraStatus.name(), s.cameraId(), s)),
                common.instanceId(), clock);
        Map<String, Object> c = KafkaClients.consumer(common, "vigil-ingest", GROUP);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        clientMetrics = List.of(new KafkaClientMetrics(consumer), new KafkaClientMetrics(frames));
        clientMetrics.forEach(m -> m.bindTo(registry));
        ticker.scheduleAtFixedRate(reporter::reportRates, 5, 5, TimeUnit.SECONDS);
        loop = new Thread(this::run, "ingest-cameras");
        loop.start();
    }

    private void run() {
        consumer.subscribe(List.of(topics.cameras.name()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> {
                    desired.remove(tp);
                    catchUpTo.remove(tp);
                });
                reconcile();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                partitions.forEach(tp -> {
                    desired.put(tp, new HashMap<>());
                    catchUpTo.put(tp, end.get(tp));
                });
                assigned = true;
                LOG.info("Ingest assigned {} camera partitions", partitions.size());
            }
        });
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
                catchUpTo.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (catchUpTo.isEmpty()) {
                    reconcile();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        Map<String, CameraSpec> cams = desired.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashMap<>());
        if (r.key() == null) {
            invalidCameras.increment();
            warn.warn("no-key", "Skipped a camera record without a key at {}-{}@{}", r.topic(), r.partition(), r.offset());
            return;
        }
        if (r.value() == null) {
            cams.remove(r.key());
            return;
        }
        try {
            CameraSpec spec = topics.cameras.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (!spec.id().equals(r.key())) {
                throw new IllegalArgumentException("key '" + r.key() + "' differs from camera id '" + spec.id() + "'");
            }
            cams.put(r.key(), spec);
        } catch (RuntimeException e) {
            invalidCameras.increment();
            warn.warn("invalid", "Skipped invalid camera record {} at {}-{}@{}: {}", r.key(), r.topic(), r.partition(),
                    r.offset(), e.getMessage());
            // the cameras topic is re-read at every rebalance: dead-letter each bad record once per worker
            if (deadLettered.add(r.partition() + "@" + r.offset())) {
                dlq.publish(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
                        r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), r.value()), "invalid-camera", e.getMessage());
            }
        }
    }

    /** Starts what should run and is not, restarts what changed, stops what should not run. */
    private void reconcile() {
        Map<String, CameraSpec> want = new HashMap<>();
        desired.values().forEach(want::putAll);
        running.entrySet().removeIf(e -> {
            CameraSpec target = want.get(e.getKey());
            if (target == null || !target.equals(e.getValue().spec())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        want.forEach((id, spec) -> running.computeIfAbsent(id, k -> {
            LOG.info("Starting camera {} ({} at {} fps)", id, spec.maskedUrl(), spec.fps());
            Gauge.builder("vigil.ingest.last.frame.age", reporter, rep -> {
                        long last = rep.lastFrameAtMs(id);
                        return last == 0 ? Double.NaN : (clock.millis() - last) / 1000.0;
                    }).description("Seconds since the capture time of the camera's last published frame")
                    .baseUnit("seconds").tag("camera", id).register(registry);
            return new CameraRunner(spec, config, f -> frames.send(new ProducerRecord<>(topics.frames.name(), null,
                    f.captureTimeMs(), f.cameraId(), f)), reporter, registry, clock).start();
        }));
    }

    /** Cameras this worker runs now. */
    public java.util.Set<String> cameras() {
        return java.util.Set.copyOf(running.keySet());
    }

    @Override
    public boolean ready() {
        return assigned && loop != null && loop.isAlive();
    }

    @Override
    public void close() {
        stopping = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (loop != null) {
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.values().parallelStream().forEach(CameraRunner::close);
        running.clear();
        ticker.shutdownNow();
        if (frames != null) {
            frames.close(Duration.ofSeconds(5));
            statuses.close(Duration.ofSeconds(5));
            dlqProducer.close(Duration.ofSeconds(5));
            clientMetrics.forEach(KafkaClientMetrics::close);
        }
    }
}
