package io.vigil.api.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Ids;
import io.vigil.api.Text;
import io.vigil.api.face.FaceBox;
import io.vigil.api.frame.FrameRef;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

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
 * @param frame          where the whole frame is on the frames topic, or null
 * @param trackId        inference's track of this face on its camera (one person followed across frames), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alert(
        int schemaVersion,
        String alertId,
        String cameraId,
        String personId,
        String displayName,
        double similarity,
        double threshold,
        Instant capturedAt,
        Instant matchedAt,
        long latencyMs,
        long frameSequence,
        FaceBox box,
        byte[] thumbnail,
        FrameRef frame,
        Long trackId) {
    public static final int SCHEMA_VERSION = 1;
    /** Largest thumbnail an alert may carry. */
    public static final int MAX_THUMBNAIL_BYTES = 256 * 1024;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * The schema's rules, checked wherever an alert is made or read: an alert that breaks them is not an alert (it
     * is dead-lettered by a consumer), so ids are safe in HTTP headers and event-stream lines, numbers are in range,
     * and the name is plain text.
     */
    public Alert {
        List<String> problems = new ArrayList<>();
        if (schemaVersion < 1) {
            problems.add("schemaVersion " + schemaVersion + " is not a version");
        }
        if (alertId == null || !UUID_TEXT.matcher(alertId).matches()) {
            problems.add("alertId must be a lower-case UUID");
        }
        Optional.ofNullable(Ids.problem("cameraId", cameraId)).ifPresent(problems::add);
        Optional.ofNullable(Ids.problem("personId", personId)).ifPresent(problems::add);
        Optional.ofNullable(Text.problem("displayName", displayName)).ifPresent(problems::add);
        if (!(similarity >= -1 && similarity <= 1)) {
            problems.add("similarity " + similarity + " is not a cosine similarity (-1 to 1)");
        }
        if (!(threshold > 0 && threshold < 1)) {
            problems.add("threshold " + threshold + " is not between 0 and 1");
        }
        if (capturedAt == null || matchedAt == null) {
            problems.add("capturedAt and matchedAt are required");
        }
        if (latencyMs < 0 || frameSequence < 0) {
            problems.add("latencyMs and frameSequence must not be negative");
        }
        if (box == null || !box.finite()) {
            problems.add("box must have four finite coordinates");
        }
        if (trackId != null && trackId < 0) {
            problems.add("trackId must not be negative");
        }
        if (thumbnail != null && thumbnail.length > MAX_THUMBNAIL_BYTES) {
            problems.add("thumbnail is " + thumbnail.length + " bytes, more than " + MAX_THUMBNAIL_BYTES);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid alert: " + String.join("; ", problems));
        }
    }

    /** An alert without the frame's place (as written before alerts carried it). */
    public Alert(
            int schemaVersion,
            String alertId,
            String cameraId,
            String personId,
            String displayName,
            double similarity,
            double threshold,
            Instant capturedAt,
            Instant matchedAt,
            long latencyMs,
            long frameSequence,
            FaceBox box,
            byte[] thumbnail) {
        this(
                schemaVersion,
                alertId,
                cameraId,
                personId,
                displayName,
                similarity,
                threshold,
                capturedAt,
                matchedAt,
                latencyMs,
                frameSequence,
                box,
                thumbnail,
                null,
                null);
    }

    /** The deterministic alert id of a (camera, person, frame) sighting. */
    public static String idFor(String cameraId, String personId, long frameSequence, long captureTimeMs) {
        String key = cameraId + '\u0000' + personId + '\u0000' + frameSequence + '\u0000' + captureTimeMs;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
