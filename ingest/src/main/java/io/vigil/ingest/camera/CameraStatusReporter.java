package io.vigil.ingest.camera;

import io.vigil.api.Secrets;
import io.vigil.api.camera.CameraState;
import io.vigil.api.camera.CameraStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Publishes each camera's state changes (and, every few seconds, its rates) on {@code camera-status}. Input and
 * published fps are averaged over the interval since the last report.
 */
public final class CameraStatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(CameraStatusReporter.class);
    private final Consumer<CameraStatus> out;
    private final String worker;
    private final Clock clock;
    private final Map<String, Rates> rates = new ConcurrentHashMap<>();

    private static final class Rates {
        volatile CameraState state = CameraState.CONNECTING;
        volatile String reason;
        volatile long since;
        volatile long input;
        volatile long published;
        volatile long lastFrameAtMs;
        volatile double inputFps;
        volatile double publishedFps;
    }

    public CameraStatusReporter(Consumer<CameraStatus> out, String worker, Clock clock) {
        this.out = out;
        this.worker = worker;
        this.clock = clock;
    }

    /** Publishes a camera's state change; the reason is masked (FFmpeg's texts name URLs with their passwords). */
    public void report(String camera, CameraState state, String rawReason) {
        String reason = Secrets.maskText(rawReason);
        Rates r = rates.computeIfAbsent(camera, k -> new Rates());
        if (r.state == state && Objects.equals(r.reason, reason) && state != CameraState.CONNECTING) {
            return;
        }
        r.state = state;
        r.reason = reason;
        if (state == CameraState.STREAMING) {
            r.since = clock.millis();
            r.input = 0;
            r.published = 0;
        }
        LOG.info("Camera {} {}{}", camera, state, reason == null ? "" : ": " + reason);
        emit(camera, r);
        if (state == CameraState.STOPPED) {
            rates.remove(camera);
        }
    }

    void countInput(String camera) {
        Rates r = rates.get(camera);
        if (r != null) {
            r.input++;
        }
    }

    void countPublished(String camera, long captureMs) {
        Rates r = rates.get(camera);
        if (r != null) {
            r.published++;
            r.lastFrameAtMs = captureMs;
        }
    }

    /** Publishes the rates of every streaming camera; called periodically. */
    public void reportRates() {
        long now = clock.millis();
        rates.forEach((camera, r) -> {
            if (r.state == CameraState.STREAMING && now > r.since) {
                double secs = (now - r.since) / 1000.0;
                r.inputFps = r.input / secs;
                r.publishedFps = r.published / secs;
                r.since = now;
                r.input = 0;
                r.published = 0;
                emit(camera, r);
            }
        });
    }

    /** Capture time of the camera's last published frame, 0 if none. */
    public long lastFrameAtMs(String camera) {
        Rates r = rates.get(camera);
        return r == null ? 0 : r.lastFrameAtMs;
    }

    private void emit(String camera, Rates r) {
        try {
            out.accept(new CameraStatus(
                    camera,
                    r.state,
                    r.reason,
                    worker,
                    clock.millis(),
                    round(r.inputFps),
                    round(r.publishedFps),
                    r.lastFrameAtMs));
        } catch (RuntimeException e) {
            LOG.warn("Cannot publish status of camera {}: {}", camera, e.toString());
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
