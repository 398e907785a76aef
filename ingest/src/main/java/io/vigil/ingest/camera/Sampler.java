package io.vigil.ingest.camera;

/**
 * Chooses frames by capture time so that a camera publishes {@code fps} frames per second whatever its own rate:
 * a frame is taken when its capture time reaches the next due time. Not "every n-th frame", which drifts with
 * variable-rate streams and dropped packets.
 */
public final class Sampler {
    private final long periodMicros;
    private long nextDue = Long.MIN_VALUE;
    private long lastSeen = Long.MIN_VALUE;
    private long interval;

    public Sampler(double fps) {
        this.periodMicros = Math.round(1_000_000 / fps);
    }

    /** Notes every decoded frame's time, to predict the next one's. */
    public void seen(long captureMicros) {
        if (lastSeen != Long.MIN_VALUE && captureMicros > lastSeen) {
            interval = captureMicros - lastSeen;
        }
        lastSeen = captureMicros;
    }

    /**
     * Whether the next frame is expected to be taken (last time seen plus the last frame interval): converting a
     * frame to BGR costs about as much as decoding it, so frames that will be skipped are not converted. A wrong
     * guess only delays a sample by one frame.
     */
    public boolean expectNext() {
        return lastSeen == Long.MIN_VALUE || due(lastSeen + interval);
    }

    /** Whether a frame at this time would be taken, without taking it. */
    public boolean due(long captureMicros) {
        return nextDue == Long.MIN_VALUE || captureMicros >= nextDue || nextDue - captureMicros > 10 * periodMicros;
    }

    public boolean take(long captureMicros) {
        if (!due(captureMicros)) {
            return false;
        }
        // stay on the grid, but resynchronise after a gap (reconnect, stall) rather than burst to catch up, and start
        // over when the clock went backwards
        boolean onGrid =
                nextDue != Long.MIN_VALUE && captureMicros >= nextDue && captureMicros - nextDue <= periodMicros;
        nextDue = onGrid ? nextDue + periodMicros : captureMicros + periodMicros;
        return true;
    }
}
