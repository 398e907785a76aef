package io.vigil.api.serde;

/** A record written by a newer (or foreign) writer: its version byte is not one this reader knows. */
public final class UnknownVersionException extends WireFormatException {
    private static final long serialVersionUID = 1L;
    private final int version;

    public UnknownVersionException(String record, int version, int supported) {
        super(record + " record has wire version " + version + " but this reader supports version " + supported
                + "; upgrade this Vigil service or send the record to the dead-letter topic");
        this.version = version;
    }

    public int version() {
        return version;
    }
}
