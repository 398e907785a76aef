package io.vigil.api.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.face.FaceBox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A watchlist match, the value on the {@code alerts} topic (key = camera id). Its JSON form is specified by
 * {@code schema/alert-v1.schema.json}; {@code thumbnail} is a base64 JPEG in JSON.
 *
 * @param schemaVersion  {@link #SCHEMA_VERSION}
 * @param alertId        deterministic id: the same sighting always yields the same id, so consumers can drop duplicates
 * @param cameraId       where
 * @param personId       who
 * @param displayName    who, for people
 * @param similarity     cosine similarity of the face to the person's best embedding
 * @param threshold      the threshold that was applied (per-person or global)
 * @param capturedAt     frame capture time
 * @param matchedAt      when the matcher decided
 * @param latencyMs      matchedAt - capturedAt
 * @param frameSequence  the frame's sequence number on its camera
 * @param box            the face box in frame pixels
 * @param thumbnail      small JPEG of the face
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(int schemaVersion, String alertId, String cameraId, String personId, String displayName,
                    double similarity, double threshold, Instant capturedAt, Instant matchedAt, long latencyMs,
                    long frameSequence, FaceBox box, byte[] thumbnail) {
    public static final int SCHEMA_VERSION = 1;

    /** The deterministic alert id of a (camera, person, frame) sighting. */
    public static String idFor(String cameraId, String personId, long frameSequence, long captureTimeMs) {
        String key = cameraId + '\u0000' + personId + '\u0000' + frameSequence + '\u0000' + captureTimeMs;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
