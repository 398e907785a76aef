package io.vigil.ingest.camera;

import org.bytedeco.opencv.opencv_core.Mat;

/** A decoded video stream. */
public interface FrameSource extends AutoCloseable {
    /** A decoded frame and its stream timestamp in microseconds; image is null when not converted. */
    record Decoded(Mat image, long timestampMicros) {}

    /**
     * The next frame; blocks at most the configured timeout. Converting a frame to BGR costs about as much as
     * decoding it, so frames the sampler will not take are decoded but not converted.
     *
     * @param convert whether to convert the frame to a BGR image
     * @throws StreamException when the stream ended, broke or stalled
     */
    Decoded next(boolean convert) throws StreamException;

    /** True for files: they are paced to real time, a live stream paces itself. */
    boolean needsPacing();

    @Override
    void close();

    /** The stream cannot be opened or read; the message is FFmpeg's reason or what was observed. */
    final class StreamException extends Exception {
        private static final long serialVersionUID = 1L;

        StreamException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
