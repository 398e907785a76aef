package io.vigil.inference.model;

/** A model that cannot be used: missing, wrong checksum, not ONNX, or an execution provider that is unavailable. Fatal. */
public final class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
