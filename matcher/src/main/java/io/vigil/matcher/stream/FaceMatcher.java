package io.vigil.matcher.stream;

import io.vigil.api.alert.Alert;
import io.vigil.api.face.Face;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.serde.FrameFacesSerde;
import io.vigil.api.serde.UnknownVersionException;
import io.vigil.api.serde.WireFormatException;
import io.vigil.api.topic.DeadLetters;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.matcher.MatcherConfig;
import io.vigil.matcher.index.Match;
import io.vigil.runtime.kafka.RateLimitedLog;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * For each face of a frame: the best person on the watchlist; over the threshold (the person's own, else the
 * global one) it is a match; a match raises an alert unless the same (camera, person) alerted within the cooldown,
 * measured in capture time so that replays decide the same way.
 */
final class FaceMatcher implements Processor<String, byte[], Object, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(FaceMatcher.class);
    private final RateLimitedLog warn = new RateLimitedLog(LOG, 1000);
    private final MatcherConfig config;
    private final Watchlist watchlist;
    private final MatcherMetrics metrics;
    private final FrameFacesSerde serde = new FrameFacesSerde();
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Long> cooldown;

    FaceMatcher(MatcherConfig config, Watchlist watchlist, MatcherMetrics metrics) {
        this.config = config;
        this.watchlist = watchlist;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.cooldown = context.getStateStore(MatcherTopology.COOLDOWN_STORE);
        ReadOnlyKeyValueStore<String, WatchlistEntry> store = context.getStateStore(MatcherTopology.WATCHLIST_STORE);
        watchlist.loadOnce(store);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        FrameFaces frame;
        try {
            frame = serde.decode(record.value() == null ? new byte[0] : record.value());
        } catch (UnknownVersionException e) {
            deadLetter(record, "unknown-version", e.getMessage());
            return;
        } catch (WireFormatException e) {
            deadLetter(record, "corrupt-record", e.getMessage());
            return;
        }
        for (Face face : frame.faces()) {
            if (watchlist.size() == 0) {
                metrics.unmatched.increment();
                continue;
            }
            if (face.embedding().length != watchlist.dimension()) {
                deadLetter(record, "dimension-mismatch", "face embedding has " + face.embedding().length
                        + " dimensions, the watchlist " + watchlist.dimension() + "; inference and enrolment must use the same model");
                return;
            }
            long t0 = System.nanoTime();
            Match match = watchlist.search(face.embedding());
            metrics.search.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
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

    private void alertUnlessCoolingDown(FrameFaces frame, Face face, Watchlist.Person person, double similarity, double threshold) {
        String key = frame.cameraId() + '\u0000' + person.personId();
        Long last = cooldown.get(key);
        if (last != null && Math.abs(frame.captureTimeMs() - last) < config.cooldown().toMillis()) {
            metrics.suppressed.increment();
            return;
        }
        cooldown.put(key, frame.captureTimeMs());
        long now = context.currentSystemTimeMs();
        Alert alert = new Alert(Alert.SCHEMA_VERSION,
                Alert.idFor(frame.cameraId(), person.personId(), frame.sequence(), frame.captureTimeMs()),
                frame.cameraId(), person.personId(), person.displayName(), similarity, threshold,
                Instant.ofEpochMilli(frame.captureTimeMs()), Instant.ofEpochMilli(now),
                Math.max(0, now - frame.captureTimeMs()), frame.sequence(), face.box(), face.thumbnail());
        context.forward(new Record<>(frame.cameraId(), alert, frame.captureTimeMs()), MatcherTopology.ALERTS_SINK);
        metrics.emitted.increment();
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        RecordMetadata meta = context.recordMetadata().orElse(null);
        if (meta != null) {
            headers.add(DeadLetters.SOURCE_TOPIC, utf8(meta.topic()));
            headers.add(DeadLetters.SOURCE_PARTITION, utf8(String.valueOf(meta.partition())));
            headers.add(DeadLetters.SOURCE_OFFSET, utf8(String.valueOf(meta.offset())));
        }
        headers.add(DeadLetters.STAGE, utf8("matcher"));
        headers.add(DeadLetters.REASON, utf8(reason));
        headers.add(DeadLetters.DETAIL, utf8(detail));
        byte[] key = record.key() == null ? null : utf8(record.key());
        context.forward(new Record<Object, Object>(key, record.value(), record.timestamp(), headers), MatcherTopology.DLQ_SINK);
        metrics.deadLettered(reason);
        warn.warn(reason, "Sent a faces record to the dead-letter topic: {} ({})", reason, detail);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
