package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.Fixtures;
import io.vigil.api.frame.Frame;
import io.vigil.api.frame.Motion;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

class FrameSerdeTest {
    private final FrameSerde serde = new FrameSerde();

    @Test
    void roundTripsAFrameExactly() {
        Frame frame = Fixtures.frame(1000);
        Frame back = serde.deserialize("t", serde.serialize("t", frame));
        assertThat(back).isEqualTo(frame);
        assertThat(back.jpeg()).isEqualTo(frame.jpeg());
    }

    @Test
    void roundTripsAFramesMotionGrid() {
        long[] cells = new long[Motion.words(16, 9)];
        cells[0] = 0b1011L;
        cells[2] = 1L << 15; // the last of 144 cells
        Frame moving = withMotion(new Motion(false, 16, 9, cells));
        Frame back = serde.decode(serde.encode(moving));
        assertThat(back).isEqualTo(moving);
        assertThat(back.motion().movedCells()).isEqualTo(4);
        assertThat(back.motion().moved(15, 8)).isTrue();
        assertThat(back.motion().moved(2, 0)).isFalse();
        assertThat(back.motion().fullPass()).isFalse();
    }

    @Test
    void readsVersionOneFramesAsUnmeasured() {
        byte[] v2 = serde.encode(Fixtures.frame(8));
        byte[] v1 = Arrays.copyOf(v2, v2.length - 3); // an unmeasured frame's motion is 3 bytes: flags, 0, 0
        v1[0] = 1;
        Frame back = serde.decode(v1);
        assertThat(back.motion()).isEqualTo(Motion.UNMEASURED);
        assertThat(back.motion().fullPass()).isTrue();
    }

    @Test
    void rejectsMotionBitsBeyondTheGrid() {
        byte[] bytes = serde.encode(withMotion(new Motion(false, 4, 4, new long[] {1})));
        bytes[bytes.length - 3] = 1; // sets bit 16 (big-endian word) of a 16-cell grid
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("beyond its 16 cells");
    }

    @Test
    void rejectsAnOversizedMotionGrid() {
        byte[] bytes = serde.encode(withMotion(new Motion(false, 4, 4, new long[] {1})));
        bytes[bytes.length - 8 - 2] = (byte) 200; // cols
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("200x4 motion grid");
    }

    private static Frame withMotion(Motion m) {
        Frame f = Fixtures.frame(64);
        return new Frame(f.cameraId(), f.sequence(), f.captureTimeMs(), f.width(), f.height(), f.jpeg(), m);
    }

    @Test
    void roundTripsAOneMegabyteFrame() {
        Frame frame = Fixtures.frame(1024 * 1024);
        assertThat(serde.decode(serde.encode(frame))).isEqualTo(frame);
    }

    @Test
    void rejectsEveryTruncationWithATypedError() {
        byte[] bytes = serde.encode(Fixtures.frame(64));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> serde.decode(cut))
                    .as("truncated to %d bytes", len)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void namesTheTruncatedField() {
        byte[] bytes = serde.encode(Fixtures.frame(64));
        assertThatThrownBy(() -> serde.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(TruncatedRecordException.class)
                .hasMessageContaining("'motionRows'");
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] bytes = serde.encode(Fixtures.frame(8));
        bytes[0] = 3;
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(UnknownVersionException.class)
                .hasMessageContaining("version 3")
                .extracting(e -> ((UnknownVersionException) e).version())
                .isEqualTo(3);
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = Arrays.copyOf(serde.encode(Fixtures.frame(8)), 200);
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void rejectsAnImpossibleLengthWithoutAllocatingIt() {
        byte[] bytes = serde.encode(Fixtures.frame(8));
        int lengthAt = bytes.length - 3 - 8 - 4;
        bytes[lengthAt] = 0x7f; // claims ~2 GB of JPEG
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void rejectsAnInvalidFrameSize() {
        byte[] bytes = serde.encode(Fixtures.frame(8));
        int widthAt = 1 + 2 + "lobby-1".length() + 16;
        bytes[widthAt] = (byte) 0xff; // negative width
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("frame size");
    }

    @Test
    void mapsTombstonesToNull() {
        assertThat(serde.deserialize("t", null)).isNull();
        assertThat(serde.serialize("t", null)).isNull();
    }
}
