package io.vigil.api.topic;

import io.vigil.api.alert.Alert;
import io.vigil.api.audit.AuditEvent;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;
import io.vigil.api.serde.FrameFacesSerde;
import io.vigil.api.serde.FrameSerde;
import io.vigil.api.serde.JsonSerde;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;

/**
 * Every Vigil topic, its serdes, partition count and configs: the single source of truth for the wire contract.
 * Partition counts cap how many workers of a stage can share the work; raise them before scaling past them.
 */
public final class VigilTopics {
    public static final String DEFAULT_PREFIX = "vigil.";
    /** max.message.bytes of the frames topic: a 4K JPEG at high quality stays well under it. */
    public static final int FRAMES_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    /** max.message.bytes of the faces topic: dozens of faces with their embeddings and thumbnails fit well under it. */
    public static final int FACES_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    public final Topic<String, CameraSpec> cameras;
    public final Topic<String, CameraStatus> cameraStatus;
    public final Topic<String, Frame> frames;
    public final Topic<String, FrameFaces> faces;
    public final Topic<String, WatchlistEntry> watchlist;
    public final Topic<String, EnrolmentPhotos> enrolmentPhotos;
    public final Topic<String, Alert> alerts;
    /** Who changed cameras and people, when (key = the camera or person id). */
    public final Topic<String, AuditEvent> audit;

    public final Topic<byte[], byte[]> dlq;
    private final List<TopicSpec> specs;

    public VigilTopics() {
        this(DEFAULT_PREFIX);
    }

    public VigilTopics(String prefix) {
        this(prefix, TopicPolicy.DEFAULT);
    }

    /** The topics under {@code prefix}, their specs following the deployment's retention and durability. */
    public VigilTopics(String prefix, TopicPolicy policy) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' is invalid; use A-Z a-z 0-9 . _ -");
        }
        Serde<String> keys = Serdes.String();
        cameras = new Topic<>(prefix + "cameras", keys, new JsonSerde<>(CameraSpec.class));
        cameraStatus = new Topic<>(prefix + "camera-status", keys, new JsonSerde<>(CameraStatus.class));
        frames = new Topic<>(prefix + "frames", keys, new FrameSerde());
        faces = new Topic<>(prefix + "faces", keys, new FrameFacesSerde());
        watchlist = new Topic<>(prefix + "watchlist", keys, new JsonSerde<>(WatchlistEntry.class));
        enrolmentPhotos = new Topic<>(prefix + "enrolment-photos", keys, new JsonSerde<>(EnrolmentPhotos.class));
        alerts = new Topic<>(prefix + "alerts", keys, new JsonSerde<>(Alert.class));
        audit = new Topic<>(prefix + "audit", keys, new JsonSerde<>(AuditEvent.class));
        dlq = new Topic<>(prefix + "dlq", Serdes.ByteArray(), Serdes.ByteArray());
        String isr = String.valueOf(policy.minInsyncReplicas());
        long erasure = policy.watchlistErasureLag().toMillis();
        specs = List.of(
                new TopicSpec(cameras.name(), 12, configs(isr, compacted())),
                new TopicSpec(
                        cameraStatus.name(),
                        6,
                        configs(
                                isr,
                                Map.of(
                                        TopicConfig.CLEANUP_POLICY_CONFIG,
                                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                                        TopicConfig.RETENTION_MS_CONFIG,
                                        ms(policy.cameraStatus())))),
                new TopicSpec(frames.name(), 24, configs(isr, deleted(policy.frames(), FRAMES_MAX_MESSAGE_BYTES))),
                new TopicSpec(faces.name(), 24, configs(isr, deleted(policy.faces(), FACES_MAX_MESSAGE_BYTES))),
                new TopicSpec(
                        watchlist.name(),
                        3,
                        configs(isr, erasable(erasure, Map.of(CLEANUP, TopicConfig.CLEANUP_POLICY_COMPACT)))),
                new TopicSpec(
                        enrolmentPhotos.name(),
                        3,
                        configs(
                                isr,
                                erasable(
                                        erasure,
                                        Map.of(
                                                // the latest photos per person, until removed or too old
                                                CLEANUP,
                                                TopicConfig.CLEANUP_POLICY_COMPACT + ","
                                                        + TopicConfig.CLEANUP_POLICY_DELETE,
                                                TopicConfig.RETENTION_MS_CONFIG,
                                                ms(policy.enrolmentPhotos()),
                                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                                String.valueOf(FRAMES_MAX_MESSAGE_BYTES))))),
                new TopicSpec(alerts.name(), 6, configs(isr, deleted(policy.alerts(), 0))),
                new TopicSpec(audit.name(), 3, configs(isr, deleted(policy.audit(), 0))),
                new TopicSpec(dlq.name(), 3, configs(isr, deleted(policy.dlq(), FRAMES_MAX_MESSAGE_BYTES))));
    }

    private static final String CLEANUP = TopicConfig.CLEANUP_POLICY_CONFIG;

    /**
     * {@code own} plus what erases a removed person within {@code erasureMs}: a tombstoned key's records are
     * compacted away within this lag (the active segment rolls at least this often, and the cleaner takes a segment
     * at the latest this old), and the replaced segment files leave the disk a second later, not a minute.
     */
    private static Map<String, String> erasable(long erasureMs, Map<String, String> own) {
        Map<String, String> m = new java.util.TreeMap<>(own);
        m.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
        m.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, String.valueOf(erasureMs));
        m.put(TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(erasureMs));
        m.put(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, "1000");
        return m;
    }

    private static Map<String, String> configs(String minInsync, Map<String, String> own) {
        Map<String, String> m = new java.util.TreeMap<>(own);
        m.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsync);
        return m;
    }

    private static Map<String, String> deleted(java.time.Duration retention, int maxMessageBytes) {
        Map<String, String> m = new java.util.TreeMap<>();
        m.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        m.put(TopicConfig.RETENTION_MS_CONFIG, ms(retention));
        if (maxMessageBytes > 0) {
            m.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(maxMessageBytes));
        }
        return m;
    }

    private static String ms(java.time.Duration d) {
        return String.valueOf(d.toMillis());
    }

    private static Map<String, String> compacted() {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                "0");
    }

    /** Every topic's spec, in pipeline order. */
    public List<TopicSpec> specs() {
        return specs;
    }
}
