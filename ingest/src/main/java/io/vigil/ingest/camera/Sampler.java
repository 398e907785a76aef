package io.vigil.ingest.camera;

/**
 * Chooses frames by capture time so that a camera publishes {@code fps} frames per second whatever its own rate:
 * a frame is taken when its capture time reaches the next due time. Not "every n-th frame", which drifts with
 * variable-rate streams and dropped packets.
 */
final class Sampler {
    private final long periodMicros;
    private long nextDue = Long.MIN_VALUE;

    Sampler(double fps) {
        this.periodMicros = Math.round(1_000_000 / fps);
    }

    boolean take(long captureMicros) {
        if (nextDue == Long.MIN_VALUE || captureMicros >= nextDue) {
            // stay on the grid, but resynchronise after a gap (reconnect, stall) rather than burst to catch up
            nextDue = nextDue == Long.MIN_VALUE || captureMicros - nextDue > periodMicros
                    ? captureMicros + periodMicros : nextDue + periodMicros;
            return true;
        }
        if (nextDue - captureMicros > 10 * periodMicros) {
            nextDue = captureMicros + periodMicros; // clock went backwards: start over
            return true;
        }
        return false;
    }
}
