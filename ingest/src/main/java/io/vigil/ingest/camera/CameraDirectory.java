package io.vigil.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.vigil.api.Ids;
import io.vigil.api.Secrets;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.serde.WireFormatException;
import io.vigil.runtime.loop.RecordHandler;
import io.vigil.runtime.loop.RejectedRecordException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cameras this worker should run, read from its partitions of the compacted cameras topic. On assignment it
 * re-reads them from the beginning (the topic is the state, nothing is committed) and, once caught up, hands the
 * wanted set to the {@link CameraFleet}. Every record is checked where it is read: the camera contract (id, URL,
 * options) and this deployment's URL policy. A refused camera goes to the dead-letter topic (once per worker: the
 * topic is re-read at every rebalance), with its URL masked, and is reported FAILED with the reason.
 */
public final class CameraDirectory implements RecordHandler {
    private final Deserializer<CameraSpec> specs;
    private final CameraPolicy policy;
    private final CameraFleet fleet;
    private final CameraStatusReporter status;
    private final Counter invalid;
    private final Map<TopicPartition, Map<String, CameraSpec>> desired = new HashMap<>();
    private final Map<TopicPartition, Long> catchUpTo = new HashMap<>();
    private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
    private Consumer<byte[], byte[]> consumer;

    public CameraDirectory(
            Deserializer<CameraSpec> specs,
            CameraPolicy policy,
            CameraFleet fleet,
            CameraStatusReporter status,
            Counter invalid) {
        this.specs = specs;
        this.policy = policy;
        this.fleet = fleet;
        this.status = status;
        this.invalid = invalid;
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions, Consumer<byte[], byte[]> c) {
        consumer = c;
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        partitions.forEach(tp -> {
            desired.put(tp, new HashMap<>());
            catchUpTo.put(tp, end.get(tp));
        });
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            desired.remove(tp);
            catchUpTo.remove(tp);
        });
        fleet.reconcile(wanted());
    }

    @Override
    public CompletionStage<?> handle(ConsumerRecord<byte[], byte[]> r) throws RejectedRecordException {
        Map<String, CameraSpec> cams =
                desired.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashMap<>());
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        if (key != null && r.value() == null) {
            cams.remove(key);
            return null;
        }
        String problem = key == null ? "a camera record needs its camera id as key" : null;
        if (problem == null) {
            try {
                CameraSpec spec = specs.deserialize(r.topic(), r.value());
                problem = !spec.id().equals(key)
                        ? "key '" + key + "' differs from camera id '" + spec.id() + "'"
                        : policy.problem(spec);
                if (problem == null) {
                    cams.put(key, spec);
                    return null;
                }
            } catch (WireFormatException e) {
                problem = e.getMessage();
            }
            cams.remove(key);
        }
        refuse(r, key, problem);
        return null;
    }

    /** Once every partition has been read to where it ended at assignment, the wanted cameras are started. */
    @Override
    public void afterPoll() {
        if (consumer == null) {
            return;
        }
        catchUpTo.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        if (catchUpTo.isEmpty()) {
            fleet.reconcile(wanted());
        }
    }

    @Override
    public void stopping() {
        fleet.close();
    }

    private Map<String, CameraSpec> wanted() {
        Map<String, CameraSpec> want = new HashMap<>();
        desired.values().forEach(want::putAll);
        return want;
    }

    /**
     * Counts a refused camera, reports it FAILED when its id is usable, and dead-letters it once per worker, with
     * every URL in its bytes masked (a camera record may carry a password).
     */
    private void refuse(ConsumerRecord<byte[], byte[]> r, String key, String why) throws RejectedRecordException {
        invalid.increment();
        String reason = Secrets.maskText(why);
        if (key != null && Ids.problem("camera id", key) == null) {
            status.report(key, CameraState.FAILED, reason);
        }
        if (deadLettered.add(r.partition() + "@" + r.offset())) {
            byte[] masked = r.value() == null
                    ? null
                    : Secrets.maskText(new String(r.value(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
            throw new RejectedRecordException("invalid-camera", reason, masked, null);
        }
    }
}
