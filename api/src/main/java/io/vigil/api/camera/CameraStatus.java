package io.vigil.api.camera;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A camera's state change, published by the ingest worker that owns it on {@code camera-status} (key = camera id).
 *
 * @param cameraId      the camera
 * @param state         the new state
 * @param reason        why (for RECONNECTING and FAILED: the FFmpeg or network error), else null
 * @param worker        the ingest worker instance that owns the camera
 * @param atMs          when the state changed, epoch milliseconds
 * @param inputFps      frames per second decoded from the stream, recent average
 * @param publishedFps  frames per second published after sampling, recent average
 * @param lastFrameAtMs capture time of the last published frame, or 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CameraStatus(
        String cameraId,
        CameraState state,
        String reason,
        String worker,
        long atMs,
        double inputFps,
        double publishedFps,
        long lastFrameAtMs) {}
