package io.vigil.api.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Bounds-checked reads over a record's bytes: every short read becomes a {@link TruncatedRecordException}. */
final class BinaryReader {
    private final String record;
    private final ByteBuffer buf;

    BinaryReader(String record, byte[] bytes) {
        this.record = record;
        this.buf = ByteBuffer.wrap(bytes);
    }

    private void need(String field, int n) {
        if (n < 0) {
            throw new WireFormatException(record + " record has a negative length " + n + " for field '" + field + "'");
        }
        if (buf.remaining() < n) {
            throw new TruncatedRecordException(record, field, n, buf.position(), buf.limit());
        }
    }

    int version() {
        need("version", 1);
        return buf.get() & 0xff;
    }

    int i32(String field) {
        need(field, 4);
        return buf.getInt();
    }

    long i64(String field) {
        need(field, 8);
        return buf.getLong();
    }

    float f32(String field) {
        need(field, 4);
        return buf.getFloat();
    }

    int u8(String field) {
        need(field, 1);
        return buf.get() & 0xff;
    }

    int u16(String field) {
        need(field, 2);
        return buf.getShort() & 0xffff;
    }

    String string(String field) {
        int len = u16(field + ".length");
        need(field, len);
        byte[] b = new byte[len];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    byte[] bytes(String field, int maxLength) {
        int len = i32(field + ".length");
        if (len > maxLength) {
            throw new WireFormatException(
                    record + " record field '" + field + "' is " + len + " bytes, more than the limit of " + maxLength);
        }
        need(field, len);
        byte[] b = new byte[len];
        buf.get(b);
        return b;
    }

    float[] floats(String field, int count) {
        need(field, count * 4);
        float[] f = new float[count];
        buf.asFloatBuffer().get(f);
        buf.position(buf.position() + count * 4);
        return f;
    }

    void end() {
        if (buf.hasRemaining()) {
            throw new WireFormatException(record + " record has " + buf.remaining() + " unexpected trailing bytes");
        }
    }
}
