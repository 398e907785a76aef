package io.vigil.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.frame.Frame;
import io.vigil.api.topic.VigilTopics;
import io.vigil.ingest.camera.CameraDirectory;
import io.vigil.ingest.camera.CameraFleet;
import io.vigil.ingest.camera.CameraStatusReporter;
import io.vigil.ingest.camera.FleetMetrics;
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
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ingest stage. Workers form one consumer group on the compacted {@code cameras} topic, read by the supervised
 * {@link ConsumerLoop}: each worker runs the cameras of its partitions ({@link CameraDirectory} decides which,
 * {@link CameraFleet} runs them). Offsets are never committed: the topic itself is the state.
 */
public final class IngestStage implements Stage {
    public static final String GROUP = "vigil-ingest";
    private final CommonConfig common;
    private final IngestConfig config;
    private final VigilTopics topics;
    private final MeterRegistry registry;
    private final Clock clock;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-status");
        t.setDaemon(true);
        return t;
    });
    private CameraFleet fleet;
    private ConsumerLoop loop;

    public IngestStage(
            CommonConfig common, IngestConfig config, VigilTopics topics, MeterRegistry registry, Clock clock) {
        this.common = common;
        this.config = config;
        this.topics = topics;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public void start() {
        Map<String, Object> p = KafkaClients.producer(common, "vigil-ingest");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, VigilTopics.FRAMES_MAX_MESSAGE_BYTES);
        KafkaProducer<String, Frame> frames = new KafkaProducer<>(
                p,
                topics.frames.keySerde().serializer(),
                topics.frames.valueSerde().serializer());
        KafkaProducer<String, CameraStatus> statuses = new KafkaProducer<>(
                KafkaClients.producer(common, "vigil-ingest-status"),
                topics.cameraStatus.keySerde().serializer(),
                topics.cameraStatus.valueSerde().serializer());
        KafkaProducer<byte[], byte[]> dlqProducer =
                KafkaClients.byteProducer(KafkaClients.producer(common, "vigil-ingest-dlq"));
        resources.add(() -> frames.close(Duration.ofSeconds(5)));
        resources.add(() -> statuses.close(Duration.ofSeconds(5)));
        resources.add(() -> dlqProducer.close(Duration.ofSeconds(5)));
        KafkaClientMetrics frameMetrics = new KafkaClientMetrics(frames);
        frameMetrics.bindTo(registry);
        resources.add(frameMetrics);

        CameraStatusReporter reporter = new CameraStatusReporter(
                s -> statuses.send(new ProducerRecord<>(topics.cameraStatus.name(), s.cameraId(), s)),
                common.instanceId(),
                clock);
        fleet = new CameraFleet(
                config,
                f -> frames.send(new ProducerRecord<>(topics.frames.name(), null, f.captureTimeMs(), f.cameraId(), f)),
                reporter,
                registry,
                clock);
        FleetMetrics fleetMetrics = new FleetMetrics(() -> fleet.cameras().size());
        fleetMetrics.bindTo(registry);
        resources.add(fleetMetrics);
        CameraDirectory directory = new CameraDirectory(
                topics.cameras.valueSerde().deserializer(), config.policy(), fleet, reporter, fleetMetrics.invalid());

        Map<String, Object> c = KafkaClients.consumer(common, "vigil-ingest", GROUP);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        DeadLetterPublisher dlq = new DeadLetterPublisher(dlqProducer, topics.dlq.name(), "ingest", registry);
        loop = new ConsumerLoop(
                        LoopSettings.reading("ingest-cameras", topics.cameras.name()),
                        () -> {
                            KafkaConsumer<byte[], byte[]> consumer = KafkaClients.byteConsumer(c);
                            KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
                            consumerMetrics.bindTo(registry);
                            resources.add(consumerMetrics);
                            return consumer;
                        },
                        directory,
                        dlq,
                        registry,
                        t -> KafkaAccess.refusal(t, common, "Read"))
                .start();
        ticker.scheduleAtFixedRate(reporter::reportRates, 5, 5, TimeUnit.SECONDS);
    }

    /** Cameras this worker runs now. */
    public Set<String> cameras() {
        return fleet == null ? Set.of() : fleet.cameras();
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
            loop.close(); // stops the cameras too (CameraDirectory.stopping)
        }
        if (fleet != null) {
            fleet.close();
        }
        ticker.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                // closing: nothing more to do
            }
        }
        resources.clear();
    }
}
