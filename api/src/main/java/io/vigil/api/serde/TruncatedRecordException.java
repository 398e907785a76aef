package io.vigil.api.serde;

/** Bytes that end before the record does. */
public final class TruncatedRecordException extends WireFormatException {
    private static final long serialVersionUID = 1L;

    public TruncatedRecordException(String record, String field, int needed, int offset, int length) {
        super(record + " record is truncated: field '" + field + "' needs " + needed + " bytes at offset " + offset
                + " but the record is " + length + " bytes long");
    }
}
