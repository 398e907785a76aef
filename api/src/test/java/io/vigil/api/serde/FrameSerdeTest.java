package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.Fixtures;
import io.vigil.api.frame.Frame;
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
                .hasMessageContaining("'jpeg'");
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] bytes = serde.encode(Fixtures.frame(8));
        bytes[0] = 2;
        assertThatThrownBy(() -> serde.decode(bytes))
                .isInstanceOf(UnknownVersionException.class)
                .hasMessageContaining("version 2")
                .extracting(e -> ((UnknownVersionException) e).version())
                .isEqualTo(2);
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
        int lengthAt = bytes.length - 8 - 4;
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
