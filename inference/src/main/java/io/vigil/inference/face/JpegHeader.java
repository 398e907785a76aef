package io.vigil.inference.face;

/**
 * The dimensions a JPEG declares in its frame header (SOF), read without decoding: a frame record is held against
 * them before a single pixel is decoded, so a small record cannot carry a decompression bomb (a 16000x16000 JPEG of a
 * few kilobytes would take hundreds of megabytes to decode).
 */
public record JpegHeader(int width, int height) {

    /** Reads the header; throws {@link CorruptImageException} when the bytes are not a JPEG with a frame header. */
    public static JpegHeader read(byte[] jpeg) {
        if (jpeg.length < 4 || (jpeg[0] & 0xff) != 0xFF || (jpeg[1] & 0xff) != 0xD8) {
            throw new CorruptImageException("not a JPEG (no start-of-image marker)");
        }
        int i = 2;
        while (i + 4 <= jpeg.length) {
            if ((jpeg[i] & 0xff) != 0xFF) {
                throw new CorruptImageException("not a JPEG (no marker at byte " + i + ")");
            }
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
                i += 2;
                continue;
            }
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (length < 2) {
                throw new CorruptImageException("JPEG segment at byte " + i + " has length " + length);
            }
            if (isFrameHeader(marker)) {
                if (i + 9 > jpeg.length) {
                    break;
                }
                int height = ((jpeg[i + 5] & 0xff) << 8) | (jpeg[i + 6] & 0xff);
                int width = ((jpeg[i + 7] & 0xff) << 8) | (jpeg[i + 8] & 0xff);
                if (width == 0 || height == 0) {
                    throw new CorruptImageException("JPEG declares " + width + "x" + height + " pixels");
                }
                return new JpegHeader(width, height);
            }
            if (marker == 0xDA || marker == 0xD9) { // start of scan or end of image before any frame header
                break;
            }
            i += 2 + length;
        }
        throw new CorruptImageException("JPEG without a frame header");
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    public long pixels() {
        return (long) width * height;
    }
}
