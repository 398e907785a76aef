package io.vigil.ingest.camera;

import org.bytedeco.opencv.opencv_core.Mat;

/** A decoded video stream. */
public interface FrameSource extends AutoCloseable {
    /** A decoded frame's stream timestamp in microseconds, and whether its pixels were kept. */
    record Decoded(long timestampMicros, boolean kept) {}

    /**
     * The next frame; blocks at most the configured timeout. Converting a frame to BGR costs about as much as
     * decoding it, so pixels are kept only for frames the sampler may take, and converted only when asked for.
     *
     * @param keep whether to keep the frame's pixels for {@link #grey()} and {@link #bgr()} until the next call
     * @throws StreamException when the stream ended, broke or stalled
     */
    Decoded next(boolean keep) throws StreamException;

    /**
     * The kept frame in grey, valid until the next call: the decoder's own luma plane, not copied, when its output
     * is planar YUV (what H.264 and H.265 cameras send), otherwise converted.
     */
    Mat grey();

    /** The kept frame as BGR pixels, converted on the first call, valid until the next frame. */
    Mat bgr();

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
