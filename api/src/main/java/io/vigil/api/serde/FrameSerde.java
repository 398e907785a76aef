package io.vigil.api.serde;

import io.vigil.api.frame.Frame;
import io.vigil.api.frame.Motion;

/**
 * Binary wire format of {@link Frame}, version 2:
 * {@code u8 version | u16+utf8 cameraId | i64 sequence | i64 captureTimeMs | i32 width | i32 height | i32+bytes jpeg |
 * u8 flags (bit 0: full pass) | u8 cols | u8 rows | i64 x ceil(cols*rows/64) motion cells}. Version 1, still read,
 * ends after the JPEG: its frames are {@link Motion#UNMEASURED} (upgrade inference before ingest).
 */
public final class FrameSerde extends WireSerde<Frame> {
    public static final int VERSION = 2;
    private static final int VERSION_WITHOUT_MOTION = 1;
    /** Hard ceiling on a JPEG payload; the topic's max.message.bytes is set above it. */
    public static final int MAX_JPEG_BYTES = 8 * 1024 * 1024;

    @Override
    public byte[] encode(Frame f) {
        Motion m = f.motion();
        long[] cells = m.cells();
        int size =
                1 + BinaryWriter.stringSize(f.cameraId()) + 8 + 8 + 4 + 4 + 4 + f.jpeg().length + 3 + 8 * cells.length;
        BinaryWriter w = new BinaryWriter(size)
                .u8(VERSION)
                .string(f.cameraId())
                .i64(f.sequence())
                .i64(f.captureTimeMs())
                .i32(f.width())
                .i32(f.height())
                .bytes(f.jpeg())
                .u8(m.fullPass() ? 1 : 0)
                .u8(m.cols())
                .u8(m.rows());
        for (long c : cells) {
            w.i64(c);
        }
        return w.array();
    }

    @Override
    public Frame decode(byte[] bytes) {
        BinaryReader r = new BinaryReader("frame", bytes);
        int version = r.version();
        if (version != VERSION && version != VERSION_WITHOUT_MOTION) {
            throw new UnknownVersionException("frame", version, VERSION);
        }
        String camera = r.string("cameraId");
        long seq = r.i64("sequence");
        long capture = r.i64("captureTimeMs");
        int w = r.i32("width");
        int h = r.i32("height");
        byte[] jpeg = r.bytes("jpeg", MAX_JPEG_BYTES);
        Motion motion = version == VERSION_WITHOUT_MOTION ? Motion.UNMEASURED : motion(r);
        r.end();
        return construct("frame", () -> new Frame(camera, seq, capture, w, h, jpeg, motion));
    }

    private static Motion motion(BinaryReader r) {
        int flags = r.u8("motionFlags");
        if ((flags & ~1) != 0) {
            throw new WireFormatException("frame record has unknown motion flags " + flags);
        }
        int cols = r.u8("motionCols");
        int rows = r.u8("motionRows");
        if (cols > Motion.MAX_SIDE || rows > Motion.MAX_SIDE) {
            throw new WireFormatException("frame record has a " + cols + "x" + rows + " motion grid; at most "
                    + Motion.MAX_SIDE + "x" + Motion.MAX_SIDE);
        }
        long[] cells = new long[Motion.words(cols, rows)];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = r.i64("motionCells");
        }
        return construct("frame", () -> new Motion(flags == 1, cols, rows, cells));
    }
}
