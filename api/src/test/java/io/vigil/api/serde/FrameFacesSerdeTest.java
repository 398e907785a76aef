package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.Fixtures;
import io.vigil.api.face.Face;
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
    void carriesEachFacesTrackId() {
        FrameFaces back = serde.decode(serde.encode(Fixtures.frameFaces(3)));
        assertThat(back.faces()).extracting(Face::trackId).containsExactly(Face.NO_TRACK, 1001L, 1002L);
    }

    @Test
    void readsVersionTwoRecordsAsUntracked() {
        FrameFaces ff = Fixtures.frameFaces(2);
        byte[] v3 = serde.encode(ff);
        // version 2 is version 3 without the trailing track id of each face
        byte[] v2 = new byte[v3.length - 16];
        int faceBytes = (v3.length - 16 - headerBytes(ff)) / 2;
        int at = headerBytes(ff);
        System.arraycopy(v3, 0, v2, 0, at);
        System.arraycopy(v3, at, v2, at, faceBytes);
        System.arraycopy(v3, at + faceBytes + 8, v2, at + faceBytes, faceBytes);
        v2[0] = 2;
        FrameFaces back = serde.decode(v2);
        assertThat(back.faces()).extracting(Face::trackId).containsOnly(Face.NO_TRACK);
        assertThat(back.faces().get(1).embedding())
                .containsExactly(ff.faces().get(1).embedding());
    }

    private static int headerBytes(FrameFaces ff) {
        return 1 + 2 + ff.cameraId().length() + 8 + 8 + 8 + 4 + 4 + 4 + 8 + 2;
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
