package io.vigil.inference.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

class JpegHeaderTest {

    @Test
    void readsTheDimensionsOfRealPhotos() throws Exception {
        assertThat(JpegHeader.read(FaceFixtures.bytes("misc/grace_hopper_512x512.jpg")))
                .isEqualTo(new JpegHeader(512, 512));
        assertThat(JpegHeader.read(FaceFixtures.bytes("misc/no-face-landscape.jpg")))
                .isEqualTo(new JpegHeader(640, 427));
    }

    @Test
    void refusesWhatIsNotAJpeg() throws Exception {
        assertThatThrownBy(() -> JpegHeader.read(FaceFixtures.bytes("misc/1280px-Solvay_conference_1927.png")))
                .isInstanceOf(CorruptImageException.class)
                .hasMessageContaining("not a JPEG");
        assertThatThrownBy(() -> JpegHeader.read(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}))
                .isInstanceOf(CorruptImageException.class);
    }

    @Test
    void neverFailsOtherwiseOnTruncatedOrRandomBytes() throws Exception {
        byte[] real = FaceFixtures.bytes("misc/grace_hopper_512x512.jpg");
        for (int n = 0; n < 700; n++) {
            byte[] cut = Arrays.copyOf(real, n);
            try {
                assertThat(JpegHeader.read(cut)).isEqualTo(new JpegHeader(512, 512));
            } catch (CorruptImageException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        Random r = new Random(5);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            if (b.length > 2) {
                b[0] = (byte) 0xff;
                b[1] = (byte) 0xd8;
            }
            try {
                JpegHeader h = JpegHeader.read(b);
                assertThat(h.width()).isPositive();
            } catch (CorruptImageException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }
}
