package io.vigil.api.topic;

import java.time.Duration;

/**
 * How long each topic keeps what it holds, and how durable writes are: the deployment's choices, applied to the topic
 * specs. Faces and frames hold passers-by's images and embeddings, so their retention is as short as the deployment
 * allows; a removed person's embedding may stay in the watchlist topic's log at most {@code watchlistErasureLag}.
 *
 * @param frames              retention of the frames topic
 * @param faces               retention of the faces topic (every passer-by's embedding and thumbnail)
 * @param alerts              retention of the alerts topic
 * @param dlq                 retention of the dead-letter topic
 * @param cameraStatus        how long a camera's last status is kept without an update
 * @param enrolmentPhotos     how long a person's enrolment photos are kept (for re-enrolment after a model change)
 *                            after they were enrolled; removing the person erases them sooner
 * @param audit               how long the audit topic keeps who changed cameras and people
 * @param watchlistErasureLag longest a tombstoned person's embedding may stay in the watchlist topic's segments
 *                            ({@code max.compaction.lag.ms}, and {@code segment.ms} so the active segment rolls)
 * @param replicationFactor   the replication factor topics are created with; from 3 up, {@code min.insync.replicas}
 *                            is 2 so that an acknowledged write is on two brokers
 */
public record TopicPolicy(
        Duration frames,
        Duration faces,
        Duration alerts,
        Duration dlq,
        Duration cameraStatus,
        Duration enrolmentPhotos,
        Duration audit,
        Duration watchlistErasureLag,
        short replicationFactor) {

    public static final TopicPolicy DEFAULT = new TopicPolicy(
            Duration.ofHours(1),
            Duration.ofDays(1),
            Duration.ofDays(7),
            Duration.ofDays(7),
            Duration.ofDays(7),
            Duration.ofDays(365),
            Duration.ofDays(365),
            Duration.ofHours(1),
            (short) 1);

    public TopicPolicy {
        for (Duration d :
                new Duration[] {frames, faces, alerts, dlq, cameraStatus, enrolmentPhotos, audit, watchlistErasureLag
                }) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("topic retention and lags must be positive");
            }
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1");
        }
    }

    /** {@code min.insync.replicas}: 2 from a replication factor of 3, else 1. */
    public int minInsyncReplicas() {
        return replicationFactor >= 3 ? 2 : 1;
    }
}
