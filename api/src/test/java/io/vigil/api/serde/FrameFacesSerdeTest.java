package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.Fixtures;
import io.vigil.api.face.EmbedderModel;
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
    void carriesTheEmbeddersIdentity() {
        FrameFaces ff = Fixtures.frameFaces(2);
        FrameFaces named = new FrameFaces(
                ff.cameraId(),
                ff.sequence(),
                ff.captureTimeMs(),
                ff.processedAtMs(),
                ff.frameWidth(),
                ff.frameHeight(),
                ff.faces(),
                3,
                17,
                EmbedderModel.BUNDLED);
        assertThat(serde.decode(serde.encode(named))).isEqualTo(named);
        assertThat(serde.decode(serde.encode(ff)).model()).isNull();
    }

    @Test
    void refusesAModelThatIsNotADigest() {
        FrameFaces ff = Fixtures.frameFaces(0);
        byte[] v4 = serde.encode(ff);
        // the model is the empty string just before the face count: write 'x' there (one more byte)
        int at = headerBytes(ff) - 4;
        byte[] bad = new byte[v4.length + 1];
        System.arraycopy(v4, 0, bad, 0, at);
        bad[at] = 0;
        bad[at + 1] = 1;
        bad[at + 2] = 'x';
        System.arraycopy(v4, at + 2, bad, at + 3, v4.length - at - 2);
        assertThatThrownBy(() -> serde.decode(bad))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("sha256:");
    }

    @Test
    void readsVersionThreeRecordsAsOfAnUnnamedModel() {
        FrameFaces ff = Fixtures.frameFaces(2);
        byte[] v3 = versionThree(ff);
        FrameFaces back = serde.decode(v3);
        assertThat(back).isEqualTo(ff);
        assertThat(back.model()).isNull();
    }

    @Test
    void readsVersionTwoRecordsAsUntracked() {
        FrameFaces ff = Fixtures.frameFaces(2);
        byte[] v3 = versionThree(ff);
        // version 2 is version 3 without the trailing track id of each face
        int header = headerBytes(ff) - 2;
        byte[] v2 = new byte[v3.length - 16];
        int faceBytes = (v3.length - 16 - header) / 2;
        System.arraycopy(v3, 0, v2, 0, header);
        System.arraycopy(v3, header, v2, header, faceBytes);
        System.arraycopy(v3, header + faceBytes + 8, v2, header + faceBytes, faceBytes);
        v2[0] = 2;
        FrameFaces back = serde.decode(v2);
        assertThat(back.faces()).extracting(Face::trackId).containsOnly(Face.NO_TRACK);
        assertThat(back.faces().get(1).embedding())
                .containsExactly(ff.faces().get(1).embedding());
    }

    /** Version 3 is version 4 without the model (here the empty string: its two length bytes). */
    private byte[] versionThree(FrameFaces unnamed) {
        byte[] v4 = serde.encode(unnamed);
        int model = headerBytes(unnamed) - 4;
        byte[] v3 = new byte[v4.length - 2];
        System.arraycopy(v4, 0, v3, 0, model);
        System.arraycopy(v4, model + 2, v3, model, v4.length - model - 2);
        v3[0] = 3;
        return v3;
    }

    /** Version 4's header up to the face count, with an unnamed model. */
    private static int headerBytes(FrameFaces ff) {
        return 1 + 2 + ff.cameraId().length() + 8 + 8 + 8 + 4 + 4 + 4 + 8 + 2 + 2;
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
