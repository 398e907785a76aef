package io.vigil.inference.face;

/** Bytes that do not decode to an image. */
public final class CorruptImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptImageException(String message) {
        super(message);
    }
}
