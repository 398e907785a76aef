package io.vigil.runtime.loop;

/**
 * A record a stage refuses to process: it goes to the dead-letter topic with {@link #reason()} (short, machine
 * readable, a metric tag) and {@link #getMessage()} as its detail. A record whose bytes carry a secret (a camera URL
 * with a password) names the bytes to dead-letter instead, with the secret masked.
 */
public final class RejectedRecordException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final transient byte[] deadLetterValue;

    public RejectedRecordException(String reason, String detail) {
        this(reason, detail, null, null);
    }

    public RejectedRecordException(String reason, String detail, Throwable cause) {
        this(reason, detail, null, cause);
    }

    /** @param deadLetterValue the value to dead-letter in place of the record's own, or null for the original */
    public RejectedRecordException(String reason, String detail, byte[] deadLetterValue, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
        this.deadLetterValue = deadLetterValue;
    }

    public String reason() {
        return reason;
    }

    /** The value to dead-letter in place of the record's own, or null for the original. */
    public byte[] deadLetterValue() {
        return deadLetterValue;
    }
}
