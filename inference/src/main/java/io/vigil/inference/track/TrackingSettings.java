package io.vigil.inference.track;

import java.time.Duration;

/**
 * What inference examines and embeds.
 *
 * @param motion      detect only where a frame's motion grid says something moved (plus the margin), except in
 *                    full-pass frames; off = examine every frame whole
 * @param marginCells motion grid cells added around moved cells
 * @param tracking    follow faces across frames and embed a face when its track starts and for better views only;
 *                    off = embed every face in every frame
 * @param tracker     when tracks end
 */
public record TrackingSettings(boolean motion, int marginCells, boolean tracking, FaceTracker.Settings tracker) {
    public static final TrackingSettings DEFAULT = new TrackingSettings(true, 1, true, FaceTracker.Settings.DEFAULT);
    public static final TrackingSettings OFF = new TrackingSettings(false, 1, false, FaceTracker.Settings.DEFAULT);

    public Duration ttl() {
        return Duration.ofMillis(tracker.ttlMs());
    }
}
