package io.vigil.api.serde;

import io.vigil.api.frame.Frame;

/**
 * Binary wire format of {@link Frame}, version 1:
 * {@code u8 version | u16+utf8 cameraId | i64 sequence | i64 captureTimeMs | i32 width | i32 height | i32+bytes jpeg}.
 */
public final class FrameSerde extends WireSerde<Frame> {
    public static final int VERSION = 1;
    /** Hard ceiling on a JPEG payload; the topic's max.message.bytes is set above it. */
    public static final int MAX_JPEG_BYTES = 8 * 1024 * 1024;

    @Override
    public byte[] encode(Frame f) {
        int size = 1 + BinaryWriter.stringSize(f.cameraId()) + 8 + 8 + 4 + 4 + 4 + f.jpeg().length;
        return new BinaryWriter(size)
                .u8(VERSION)
                .string(f.cameraId())
                .i64(f.sequence())
                .i64(f.captureTimeMs())
                .i32(f.width())
                .i32(f.height())
                .bytes(f.jpeg())
                .array();
    }

    @Override
    public Frame decode(byte[] bytes) {
        BinaryReader r = new BinaryReader("frame", bytes);
        int version = r.version();
        if (version != VERSION) {
            throw new UnknownVersionException("frame", version, VERSION);
        }
        String camera = r.string("cameraId");
        long seq = r.i64("sequence");
        long capture = r.i64("captureTimeMs");
        int w = r.i32("width");
        int h = r.i32("height");
        byte[] jpeg = r.bytes("jpeg", MAX_JPEG_BYTES);
        r.end();
        return construct("frame", () -> new Frame(camera, seq, capture, w, h, jpeg));
    }
}
