package io.vigil.inference.worker;

import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;
import io.vigil.api.serde.FrameFacesSerde;
import io.vigil.api.serde.FrameSerde;
import io.vigil.api.serde.UnknownVersionException;
import io.vigil.api.serde.WireFormatException;
import io.vigil.inference.face.CorruptImageException;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Images;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One inference loop: consume frames (as part of the consumer group), analyse them in batches, publish one faces
 * record per frame, then commit. A frame that cannot be read goes to the dead-letter topic; nothing else stops.
 * At-least-once: after a crash, uncommitted frames are analysed again and downstream sees the same records again.
 */
final class InferenceWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final FaceAnalyzer analyzer;
    private final DeadLetterPublisher dlq;
    private final InferenceMetrics metrics;
    private final InferenceConfig config;
    private final String framesTopic;
    private final String facesTopic;
    private final Clock clock;
    private final FrameSerde frameSerde = new FrameSerde();
    private final FrameFacesSerde facesSerde = new FrameFacesSerde();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private volatile boolean running = true;

    private record Pending(ConsumerRecord<byte[], byte[]> record, Frame frame, Mat image) {
    }

    InferenceWorker(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, FaceAnalyzer analyzer,
                    DeadLetterPublisher dlq, InferenceMetrics metrics, InferenceConfig config, String framesTopic,
                    String facesTopic, Clock clock) {
        this.consumer = consumer;
        this.producer = producer;
        this.analyzer = analyzer;
        this.dlq = dlq;
        this.metrics = metrics;
        this.config = config;
        this.framesTopic = framesTopic;
        this.facesTopic = facesTopic;
        this.clock = clock;
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(framesTopic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                flushBatch();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                LOG.info("Inference assigned {} frame partitions", partitions.size());
            }
        });
        try {
            long firstPendingAt = 0;
            while (running) {
                long waitMs = pending.isEmpty() ? 200
                        : Math.max(0, firstPendingAt + config.batchWait().toMillis() - clock.millis());
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(waitMs))) {
                    if (pending.isEmpty()) {
                        firstPendingAt = clock.millis();
                    }
                    accept(r);
                    if (pending.size() >= config.batchSize()) {
                        flushBatch();
                    }
                }
                if (!pending.isEmpty() && clock.millis() - firstPendingAt >= config.batchWait().toMillis()) {
                    flushBatch();
                }
                commit();
            }
            flushBatch();
            commit();
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        markDone(r);
        Frame frame;
        try {
            frame = frameSerde.decode(r.value() == null ? new byte[0] : r.value());
        } catch (UnknownVersionException e) {
            deadLetter(r, "unknown-version", e.getMessage());
            return;
        } catch (WireFormatException e) {
            deadLetter(r, "corrupt-record", e.getMessage());
            return;
        }
        if ((long) frame.width() * frame.height() > config.maxFramePixels()) {
            deadLetter(r, "oversized-frame", frame.width() + "x" + frame.height() + " exceeds VIGIL_INFERENCE_MAX_FRAME_PIXELS="
                    + config.maxFramePixels());
            return;
        }
        long t0 = System.nanoTime();
        try {
            Mat image = Images.decode(frame.jpeg());
            metrics.step("decode", System.nanoTime() - t0, 1);
            pending.add(new Pending(r, frame, image));
        } catch (CorruptImageException e) {
            deadLetter(r, "corrupt-jpeg", e.getMessage());
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason, String detail) {
        dlq.publish(r, reason, detail);
        metrics.frame("dead-lettered", reason);
    }

    private void flushBatch() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = List.copyOf(pending);
        pending.clear();
        metrics.batchSize.record(batch.size());
        long t0 = System.nanoTime();
        List<List<Face>> faces;
        try {
            faces = analyzer.analyze(batch.stream().map(Pending::image).toList());
        } catch (RuntimeException e) {
            LOG.error("Inference failed on a batch of {} frames; sending them to the dead-letter topic", batch.size(), e);
            batch.forEach(p -> deadLetter(p.record(), "inference-failed", e.toString()));
            return;
        } finally {
            batch.forEach(p -> p.image().close());
        }
        metrics.step("total", System.nanoTime() - t0, batch.size());
        long now = clock.millis();
        for (int i = 0; i < batch.size(); i++) {
            Frame f = batch.get(i).frame();
            FrameFaces ff = new FrameFaces(f.cameraId(), f.sequence(), f.captureTimeMs(), now, f.width(), f.height(),
                    faces.get(i));
            producer.send(new ProducerRecord<>(facesTopic, null, f.captureTimeMs(),
                    batch.get(i).record().key(), facesSerde.encode(ff)));
            metrics.facesPerFrame.record(ff.faces().size());
            metrics.faces.increment(ff.faces().size());
            metrics.frame("processed", "none");
        }
    }

    private void markDone(ConsumerRecord<byte[], byte[]> r) {
        toCommit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
    }

    /** Commits what has been published: only after the producer has flushed, so a crash loses nothing. */
    private void commit() {
        if (toCommit.isEmpty() || !pending.isEmpty()) {
            return;
        }
        producer.flush();
        consumer.commitSync(toCommit);
        toCommit.clear();
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
