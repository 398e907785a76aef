package io.vigil.api.camera;

/** The life cycle of one camera on one ingest worker. */
public enum CameraState {
    /** Opening the stream. */
    CONNECTING,
    /** Frames are flowing. */
    STREAMING,
    /** The stream broke (disconnect, stall, timeout); waiting to retry with backoff. */
    RECONNECTING,
    /** Cannot be opened and retries are exhausted or pointless (bad URL, unsupported codec); see the reason. */
    FAILED,
    /** Stopped by this worker: removed, or moved to another worker by a rebalance. */
    STOPPED
}
