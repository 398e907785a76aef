package io.vigil.api;

import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.frame.Frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic sample records for the wire tests. */
public final class Fixtures {
    private Fixtures() {}

    public static Frame frame(int jpegBytes) {
        byte[] jpeg = new byte[jpegBytes];
        new Random(42).nextBytes(jpeg);
        return new Frame("lobby-1", 17, 1_700_000_000_123L, 1920, 1080, jpeg);
    }

    public static float[] unitVector(int dim, long seed) {
        Random r = new Random(seed);
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    public static FrameFaces frameFaces(int faceCount) {
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < faceCount; i++) {
            float[] lm = new float[10];
            for (int j = 0; j < 10; j++) {
                lm[j] = 100 + i * 10 + j;
            }
            faces.add(new Face(
                    new FaceBox(10 + i, 20, 110 + i, 140),
                    lm,
                    0.9f + i * 0.01f,
                    unitVector(512, i),
                    new byte[] {(byte) 0xff, (byte) 0xd8, (byte) i},
                    i == 0 ? Face.NO_TRACK : 1000L + i));
        }
        return new FrameFaces("gate", 99, 1_700_000_000_000L, 1_700_000_000_050L, 1280, 720, faces);
    }
}
