package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.Fixtures;
import io.vigil.api.face.FrameFaces;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

class FrameFacesSerdeTest {
    private final FrameFacesSerde serde = new FrameFacesSerde();

    @Test
    void roundTripsFacesWithEmbeddingsAndThumbnails() {
        FrameFaces ff = Fixtures.frameFaces(3);
        FrameFaces back = serde.decode(serde.encode(ff));
        assertThat(back).isEqualTo(ff);
        assertThat(back.faces().get(2).embedding())
                .containsExactly(ff.faces().get(2).embedding());
        assertThat(back.faces().get(1).landmarks())
                .containsExactly(ff.faces().get(1).landmarks());
    }

    @Test
    void roundTripsAFrameWithoutFaces() {
        FrameFaces ff = Fixtures.frameFaces(0);
        assertThat(serde.decode(serde.encode(ff))).isEqualTo(ff);
    }

    @Test
    void rejectsEveryTruncationWithATypedError() {
        byte[] bytes = serde.encode(Fixtures.frameFaces(1));
        for (int len = 0; len < bytes.length; len += 7) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> serde.decode(cut))
                    .as("truncated to %d bytes", len)
                    .isInstanceOf(WireFormatException.class);
        }
    }

    @Test
    void rejectsAnUnknownVersion() {
        byte[] bytes = serde.encode(Fixtures.frameFaces(1));
        bytes[0] = (byte) 200;
        assertThatThrownBy(() -> serde.decode(bytes)).isInstanceOf(UnknownVersionException.class);
    }

    @Test
    void rejectsRandomBytes() {
        byte[] junk = "not a faces record at all, just text".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.decode(junk)).isInstanceOf(WireFormatException.class);
    }
}
