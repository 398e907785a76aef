package io.vigil.api.frame;

import java.time.Duration;

/**
 * The capture times a stage accepts: not older than {@code maxAge}, not later than {@code maxSkew} ahead of its own
 * clock. A frame or face outside it was not captured by a working camera (a negative time, a clock years off) and
 * goes to the dead-letter topic instead of into timestamps, cooldowns and latency figures.
 */
public record CaptureWindow(Duration maxAge, Duration maxSkew) {
    public static final CaptureWindow DEFAULT = new CaptureWindow(Duration.ofDays(1), Duration.ofMinutes(1));

    public CaptureWindow {
        if (maxAge.isNegative() || maxSkew.isNegative()) {
            throw new IllegalArgumentException("capture window bounds must not be negative");
        }
    }

    /** Why this capture time is refused, or null when it is within the window. */
    public String problem(long captureMs, long nowMs) {
        if (captureMs <= 0) {
            return "capture time " + captureMs + " is not a time (epoch milliseconds must be positive)";
        }
        if (captureMs > nowMs + maxSkew.toMillis()) {
            return "capture time " + captureMs + " is " + (captureMs - nowMs) + " ms in the future (more than "
                    + maxSkew.toMillis() + " ms; VIGIL_CAPTURE_MAX_SKEW): check the camera worker's clock";
        }
        if (captureMs < nowMs - maxAge.toMillis()) {
            return "capture time " + captureMs + " is older than " + maxAge.toSeconds() + " s (VIGIL_CAPTURE_MAX_AGE)";
        }
        return null;
    }
}
