package io.vigil.api.serde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes into an exactly sized buffer; sizes are computed up front so there is one allocation per record. */
final class BinaryWriter {
    private final ByteBuffer buf;

    BinaryWriter(int size) {
        this.buf = ByteBuffer.allocate(size);
    }

    static int stringSize(String s) {
        return 2 + s.getBytes(StandardCharsets.UTF_8).length;
    }

    BinaryWriter u8(int v) {
        buf.put((byte) v);
        return this;
    }

    BinaryWriter i32(int v) {
        buf.putInt(v);
        return this;
    }

    BinaryWriter i64(long v) {
        buf.putLong(v);
        return this;
    }

    BinaryWriter f32(float v) {
        buf.putFloat(v);
        return this;
    }

    BinaryWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("value " + v + " does not fit in an unsigned 16-bit field");
        }
        buf.putShort((short) v);
        return this;
    }

    BinaryWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u16(b.length);
        buf.put(b);
        return this;
    }

    BinaryWriter bytes(byte[] b) {
        buf.putInt(b.length);
        buf.put(b);
        return this;
    }

    BinaryWriter floats(float[] f) {
        buf.asFloatBuffer().put(f);
        buf.position(buf.position() + f.length * 4);
        return this;
    }

    byte[] array() {
        if (buf.hasRemaining()) {
            throw new IllegalStateException("record size miscomputed: " + buf.remaining() + " bytes unwritten");
        }
        return buf.array();
    }
}
