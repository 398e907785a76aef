package io.vigil.matcher.stream;

import io.vigil.api.alert.Alert;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.FrameRef;
import io.vigil.api.serde.UnknownVersionException;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.MatcherConfig;
import io.vigil.matcher.index.Match;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.RateLimitedLog;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * For each face of a frame: the best person on the watchlist; over the threshold (the person's own, else the
 * global one) it is a match; a match raises an alert unless the same (camera, person) alerted within the cooldown,
 * measured in capture time so that replays decide the same way.
 */
final class FaceMatcher implements Processor<String, byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(FaceMatcher.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 1000);
    private final MatcherConfig config;
    private final String framesTopic;
    private final Watchlist watchlist;
    private final MatcherMetrics metrics;
    private final Deserializer<FrameFaces> faces;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Long> cooldown;

    FaceMatcher(
            MatcherConfig config,
            Deserializer<FrameFaces> faces,
            String framesTopic,
            Watchlist watchlist,
            MatcherMetrics metrics) {
        this.config = config;
        this.framesTopic = framesTopic;
        this.faces = faces;
        this.watchlist = watchlist;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.cooldown = context.getStateStore(MatcherTopology.COOLDOWN_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        FrameFaces frame;
        try {
            frame = faces.deserialize(null, record.value() == null ? new byte[0] : record.value());
        } catch (UnknownVersionException e) {
            deadLetter(record, "unknown-version", e.getMessage());
            return;
        } catch (WireFormatException e) {
            deadLetter(record, "corrupt-record", e.getMessage());
            return;
        }
        String problem = check(record, frame);
        if (problem != null) {
            deadLetter(record, problem.substring(0, problem.indexOf(':')), problem.substring(problem.indexOf(':') + 2));
            return;
        }
        for (Face face : frame.faces()) {
            if (watchlist.size() == 0) {
                metrics.unmatched.increment();
                continue;
            }
            long t0 = System.nanoTime();
            Match match = watchlist.search(face.embedding());
            metrics.search.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            Watchlist.Person person = match == null ? null : watchlist.person(match.personId());
            double threshold = person != null && person.threshold() != null ? person.threshold() : config.threshold();
            if (person == null || match.similarity() < threshold) {
                metrics.unmatched.increment();
                continue;
            }
            metrics.matched.increment();
            alertUnlessCoolingDown(frame, face, person, match.similarity(), threshold);
        }
    }

    /** "reason: detail" when the record is refused, null when it may be matched. */
    private String check(Record<String, byte[]> record, FrameFaces frame) {
        if (!frame.cameraId().equals(record.key())) {
            return "key-mismatch: a faces record's key must be its camera id '" + frame.cameraId() + "'";
        }
        String late = config.captureWindow().problem(frame.captureTimeMs(), context.currentSystemTimeMs());
        if (late != null) {
            return "invalid-capture-time: " + late;
        }
        String model = EmbedderModel.effective(frame.model());
        if (!model.equals(config.model())) {
            return "model-mismatch: the faces were embedded by " + model + ", the matcher compares "
                    + config.model() + " (VIGIL_MATCHER_MODEL); set it to the embedder inference runs, and enrol"
                    + " the watchlist again with it (vigil watchlist reenrol)";
        }
        for (Face face : frame.faces()) {
            if (face.embedding().length != config.dimension()) {
                return "dimension-mismatch: face embedding has " + face.embedding().length + " dimensions, the model "
                        + config.dimension()
                        + " (VIGIL_MATCHER_EMBEDDING_DIM); inference and enrolment must use the same model";
            }
            double norm = 0;
            for (float v : face.embedding()) {
                norm += (double) v * v;
            }
            if (Math.abs(Math.sqrt(norm) - 1) > WatchlistEntry.NORM_TOLERANCE) {
                return "invalid-face: a face embedding has length " + Math.sqrt(norm)
                        + "; inference writes unit vectors";
            }
        }
        return null;
    }

    private void alertUnlessCoolingDown(
            FrameFaces frame, Face face, Watchlist.Person person, double similarity, double threshold) {
        String key = frame.cameraId() + '\u0000' + person.personId();
        Long last = cooldown.get(key);
        if (last != null
                && Math.abs(frame.captureTimeMs() - last) < config.cooldown().toMillis()) {
            metrics.suppressed.increment();
            return;
        }
        cooldown.put(key, frame.captureTimeMs());
        long now = context.currentSystemTimeMs();
        Alert alert = new Alert(
                Alert.SCHEMA_VERSION,
                Alert.idFor(frame.cameraId(), person.personId(), frame.sequence(), frame.captureTimeMs()),
                frame.cameraId(),
                person.personId(),
                person.displayName(),
                similarity,
                threshold,
                Instant.ofEpochMilli(frame.captureTimeMs()),
                Instant.ofEpochMilli(now),
                Math.max(0, now - frame.captureTimeMs()),
                frame.sequence(),
                face.box(),
                face.thumbnail(),
                frame.locatesFrame() ? new FrameRef(framesTopic, frame.framePartition(), frame.frameOffset()) : null,
                face.trackId() == Face.NO_TRACK ? null : face.trackId());
        context.forward(new Record<>(frame.cameraId(), alert, frame.captureTimeMs()), MatcherTopology.ALERTS_SINK);
        metrics.emitted.increment();
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        RecordHeaders headers = DeadLetterPublisher.headers(
                record.headers(),
                meta == null ? "" : meta.topic(),
                meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(),
                "matcher",
                reason,
                detail);
        byte[] key = record.key() == null ? null : utf8(record.key());
        context.forward(
                new Record<Object, Object>(key, record.value(), record.timestamp(), headers), MatcherTopology.DLQ_SINK);
        metrics.deadLettered(reason);
        warn.warn(reason, "Sent a faces record to the dead-letter topic: {} ({})", reason, detail);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
