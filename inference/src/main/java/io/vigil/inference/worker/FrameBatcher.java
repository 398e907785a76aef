package io.vigil.inference.worker;

import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.CaptureWindow;
import io.vigil.api.frame.Frame;
import io.vigil.api.serde.UnknownVersionException;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.topic.Topic;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.CorruptImageException;
import io.vigil.inference.face.Detection;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Images;
import io.vigil.inference.face.JpegHeader;
import io.vigil.inference.face.MotionAreas;
import io.vigil.inference.track.FaceTracker;
import io.vigil.runtime.kafka.RateLimitedLog;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One inference worker's record handler: checks each frame where it is consumed, batches frames (like DeepStream's
 * nvstreammux: until the batch is full or its first frame has waited long enough), detects faces where each frame
 * moved (or in all of it, for full passes), follows them with each camera's tracker, embeds the views the tracker
 * asks for, and publishes one faces record per frame (with the faces embedded in that frame). A frame's offset is committed by the loop once its faces record is acknowledged. A
 * frame is refused, with a reason, when its bytes do not read, its capture time is not plausible, it is larger
 * than allowed, or its JPEG's own header disagrees with the record (checked before any pixel is decoded).
 */
public final class FrameBatcher implements RecordHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FrameBatcher.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 5_000);
    private final Producer<byte[], byte[]> producer;
    private final FaceAnalyzer analyzer;
    private final InferenceMetrics metrics;
    private final InferenceConfig config;
    private final CaptureWindow window;
    private final String facesTopic;
    private final Clock clock;
    private final Deserializer<Frame> frames;
    private final Serializer<FrameFaces> facesWriter;
    private final List<Pending> pending = new ArrayList<>();
    private long firstPendingAt;

    /**
     * The cameras with live face tracks. A camera is held only while it has tracks, and is let go when it has sent
     * nothing for a track lifetime, so camera ids that a producer makes up cannot grow this map without bound.
     */
    private final Map<String, Camera> cameras = new HashMap<>();

    private long nextSweepAt;

    /** One camera's face tracks, and where its frames come from. */
    private static final class Camera {
        final FaceTracker tracker;
        TopicPartition partition;
        long lastSequence = -1;
        long lastSeenAt;

        Camera(FaceTracker tracker) {
            this.tracker = tracker;
        }
    }

    private record Pending(
            ConsumerRecord<byte[], byte[]> record, Frame frame, Mat image, CompletableFuture<Void> done) {}

    public FrameBatcher(
            Producer<byte[], byte[]> producer,
            FaceAnalyzer analyzer,
            InferenceMetrics metrics,
            InferenceConfig config,
            CaptureWindow window,
            Topic<String, Frame> framesTopic,
            Topic<String, FrameFaces> facesTopic,
            Clock clock) {
        this.producer = producer;
        this.frames = framesTopic.valueSerde().deserializer();
        this.facesWriter = facesTopic.valueSerde().serializer();
        this.analyzer = analyzer;
        this.metrics = metrics;
        this.config = config;
        this.window = window;
        this.facesTopic = facesTopic.name();
        this.clock = clock;
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        Frame frame = check(r);
        long t0 = System.nanoTime();
        Mat image;
        try {
            image = Images.decode(frame.jpeg());
        } catch (CorruptImageException e) {
            throw refuse("corrupt-jpeg", e.getMessage());
        }
        metrics.step("decode", System.nanoTime() - t0, 1);
        if (image.cols() != frame.width() || image.rows() != frame.height()) {
            image.close();
            throw refuse(
                    "size-mismatch",
                    "the JPEG decodes to " + image.cols() + "x" + image.rows() + " but the record says " + frame.width()
                            + "x" + frame.height());
        }
        if (pending.isEmpty()) {
            firstPendingAt = clock.millis();
        }
        Pending p = new Pending(r, frame, image, new CompletableFuture<>());
        pending.add(p);
        if (pending.size() >= config.batchSize()) {
            flush();
        }
        return p.done();
    }

    /** Everything that can be checked before decoding pixels. */
    private Frame check(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        Frame frame;
        try {
            frame = frames.deserialize(r.topic(), r.value() == null ? new byte[0] : r.value());
        } catch (UnknownVersionException e) {
            throw refuse("unknown-version", e.getMessage());
        } catch (WireFormatException e) {
            throw refuse("corrupt-record", e.getMessage());
        }
        if (r.key() == null || !Arrays.equals(r.key(), frame.cameraId().getBytes(StandardCharsets.UTF_8))) {
            throw refuse("key-mismatch", "a frame's record key must be its camera id '" + frame.cameraId() + "'");
        }
        String late = window.problem(frame.captureTimeMs(), clock.millis());
        if (late != null) {
            throw refuse("invalid-capture-time", late);
        }
        if ((long) frame.width() * frame.height() > config.maxFramePixels()) {
            throw refuse(
                    "oversized-frame",
                    frame.width() + "x" + frame.height() + " exceeds VIGIL_INFERENCE_MAX_FRAME_PIXELS="
                            + config.maxFramePixels());
        }
        JpegHeader header;
        try {
            header = JpegHeader.read(frame.jpeg());
        } catch (CorruptImageException e) {
            throw refuse("corrupt-jpeg", e.getMessage());
        }
        if (header.width() != frame.width() || header.height() != frame.height()) {
            throw refuse(
                    "size-mismatch",
                    "the JPEG's header says " + header.width() + "x" + header.height() + " but the record says "
                            + frame.width() + "x" + frame.height() + "; not decoded");
        }
        return frame;
    }

    private RejectedRecordException refuse(String reason, String detail) {
        metrics.frame("dead-lettered", reason);
        return new RejectedRecordException(reason, detail);
    }

    @Override
    public void afterPoll() {
        long now = clock.millis();
        if (!pending.isEmpty() && now - firstPendingAt >= config.batchWait().toMillis()) {
            flush();
        }
        if (now >= nextSweepAt) {
            nextSweepAt = now + 1_000;
            long ttl = config.tracking().tracker().ttlMs();
            cameras.values().removeIf(c -> {
                boolean silent = now - c.lastSeenAt > ttl;
                if (silent) {
                    c.tracker.reset(); // its tracks would have ended unseen by now
                }
                return silent;
            });
        }
    }

    /** Cameras whose face tracks this worker holds. */
    int trackedCameras() {
        return cameras.size();
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        flush();
        // a camera that moves to another worker starts its tracks anew there
        cameras.values().removeIf(c -> {
            boolean gone = partitions.contains(c.partition);
            if (gone) {
                c.tracker.reset();
            }
            return gone;
        });
    }

    @Override
    public void stopping() {
        flush();
    }

    /** The pending batch is due when its first frame has waited the batch wait. */
    @Override
    public long maxPollWaitMs() {
        return pending.isEmpty()
                ? 200
                : Math.max(0, firstPendingAt + config.batchWait().toMillis() - clock.millis());
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = List.copyOf(pending);
        pending.clear();
        metrics.batchSize.record(batch.size());
        long t0 = System.nanoTime();
        try {
            List<List<int[]>> areas = new ArrayList<>();
            for (Pending p : batch) {
                Frame f = p.frame();
                List<int[]> a = config.tracking().motion()
                        ? MotionAreas.of(
                                f.motion(),
                                f.width(),
                                f.height(),
                                config.tracking().marginCells())
                        : null;
                (a == null ? metrics.examinedWhole : metrics.examinedMotion).increment();
                areas.add(a);
            }
            List<List<Detection>> found = detectIsolated(batch, areas);
            List<FaceAnalyzer.Target> targets = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (found.get(i) != null) {
                    targets.addAll(choose(i, batch.get(i), found.get(i), areas.get(i)));
                }
            }
            List<List<Face>> faces = describeIsolated(batch, found, targets);
            metrics.step("total", System.nanoTime() - t0, batch.size());
            long now = clock.millis();
            for (int i = 0; i < batch.size(); i++) {
                if (faces.get(i) != null) {
                    Camera camera = cameras.get(batch.get(i).frame().cameraId());
                    for (Face face : faces.get(i)) {
                        if (camera != null && face.trackId() != Face.NO_TRACK) {
                            camera.tracker.accepted(face.trackId());
                        }
                    }
                    publish(batch.get(i), faces.get(i), now);
                }
            }
        } finally {
            batch.forEach(p -> p.image().close());
        }
    }

    /** One frame's detections to describe: all of them untracked, or those its camera's tracker wants embedded. */
    private List<FaceAnalyzer.Target> choose(int index, Pending p, List<Detection> found, List<int[]> areas) {
        List<FaceAnalyzer.Target> out = new ArrayList<>();
        if (!config.tracking().tracking()) {
            found.forEach(d -> out.add(new FaceAnalyzer.Target(index, d, Face.NO_TRACK)));
            metrics.embedded.increment(found.size());
            return out;
        }
        Camera camera = camera(p);
        if (p.frame().sequence() < camera.lastSequence) {
            camera.tracker.reset(); // the camera restarted (its sequence starts again at 0)
        }
        camera.lastSequence = p.frame().sequence();
        List<FaceTracker.Sighting> sightings = new ArrayList<>();
        for (Detection d : found) {
            sightings.add(new FaceTracker.Sighting(d.box(), FaceAnalyzer.boxSharpness(p.image(), d.box())));
        }
        Frame f = p.frame();
        List<FaceTracker.Decision> decisions = camera.tracker.update(
                sightings,
                f.captureTimeMs(),
                areas,
                box -> MotionAreas.changedUnder(f.motion(), box, f.width(), f.height()));
        for (int k = 0; k < decisions.size(); k++) {
            FaceTracker.Decision d = decisions.get(k);
            if (d.newTrack()) {
                metrics.tracksStarted.increment();
            }
            if (d.embed()) {
                out.add(new FaceAnalyzer.Target(index, found.get(k), d.trackId()));
                metrics.embedded.increment();
            } else {
                metrics.saved.increment();
            }
        }
        if (camera.tracker.size() == 0) {
            cameras.remove(f.cameraId()); // nothing to follow: a camera without faces costs no memory
        }
        return out;
    }

    /** The tracks of a frame's camera, made on its first frame; noted with the partition it came from. */
    private Camera camera(Pending p) {
        Camera c = cameras.computeIfAbsent(
                p.frame().cameraId(),
                id -> new Camera(
                        new FaceTracker(config.tracking().tracker(), FrameBatcher::newTrackId, metrics::trackEnded)));
        c.partition = new TopicPartition(p.record().topic(), p.record().partition());
        c.lastSeenAt = clock.millis();
        return c;
    }

    private static long newTrackId() {
        return ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    }

    /**
     * Detections of every frame; when the batch fails, each frame alone, so one frame that breaks the detector fails
     * only itself (its entry is null and it is refused as {@code inference-failed}).
     */
    private List<List<Detection>> detectIsolated(List<Pending> batch, List<List<int[]>> areas) {
        try {
            return analyzer.detect(batch.stream().map(Pending::image).toList(), areas);
        } catch (RuntimeException e) {
            warn.warn(
                    "batch",
                    "Detection failed on a batch of {} frames ({}); analysing them one by one",
                    batch.size(),
                    e.toString());
        }
        List<List<Detection>> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            try {
                out.add(analyzer.detect(List.of(p.image()), Collections.singletonList(areas.get(i)))
                        .get(0));
            } catch (RuntimeException e) {
                out.add(null);
                p.done().completeExceptionally(refuse("inference-failed", e.toString()));
            }
        }
        return out;
    }

    /** The faces of every frame whose detection worked; a frame that breaks the models fails only itself. */
    private List<List<Face>> describeIsolated(
            List<Pending> batch, List<List<Detection>> found, List<FaceAnalyzer.Target> targets) {
        List<List<Face>> out;
        try {
            out = new ArrayList<>(
                    analyzer.describe(batch.stream().map(Pending::image).toList(), targets));
        } catch (RuntimeException e) {
            warn.warn(
                    "batch",
                    "Inference failed on a batch of {} frames ({}); analysing them one by one",
                    batch.size(),
                    e.toString());
            out = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                int index = i;
                List<FaceAnalyzer.Target> own = targets.stream()
                        .filter(t -> t.image() == index)
                        .map(t -> new FaceAnalyzer.Target(0, t.detection(), t.trackId()))
                        .toList();
                try {
                    out.add(
                            found.get(i) == null
                                    ? null
                                    : analyzer.describe(List.of(batch.get(i).image()), own)
                                            .get(0));
                } catch (RuntimeException ex) {
                    out.add(null);
                    batch.get(i).done().completeExceptionally(refuse("inference-failed", ex.toString()));
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (found.get(i) == null) {
                out.set(i, null);
            }
        }
        return out;
    }

    private void publish(Pending p, List<Face> faces, long now) {
        Frame f = p.frame();
        FrameFaces ff = new FrameFaces(
                f.cameraId(),
                f.sequence(),
                f.captureTimeMs(),
                now,
                f.width(),
                f.height(),
                faces,
                p.record().partition(),
                p.record().offset(),
                analyzer.embedderModel());
        producer.send(
                new ProducerRecord<>(
                        facesTopic, null, f.captureTimeMs(), p.record().key(), facesWriter.serialize(facesTopic, ff)),
                (meta, error) -> {
                    if (error == null) {
                        p.done().complete(null);
                    } else {
                        p.done().completeExceptionally(error);
                    }
                });
        metrics.facesPerFrame.record(ff.faces().size());
        metrics.faces.increment(ff.faces().size());
        metrics.frame("processed", "none");
    }
}
