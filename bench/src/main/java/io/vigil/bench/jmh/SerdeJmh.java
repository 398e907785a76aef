package io.vigil.bench.jmh;

import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;
import io.vigil.api.serde.FrameFacesSerde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/** The faces wire format: encoding and decoding (with every check of the reader) a frame of four faces. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerdeJmh {
    private final FrameFacesSerde serde = new FrameFacesSerde();
    private FrameFaces frame;
    private byte[] bytes;

    @Setup
    public void build() {
        SplittableRandom r = new SplittableRandom(7);
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            faces.add(new Face(
                    new FaceBox(10, 20, 110, 140), new float[10], 0.95f, Vectors.unit(512, r), new byte[4096]));
        }
        frame = new FrameFaces("gate", 1, 1_700_000_000_000L, 1_700_000_000_050L, 1280, 720, faces);
        bytes = serde.encode(frame);
    }

    @Benchmark
    public byte[] encode() {
        return serde.encode(frame);
    }

    @Benchmark
    public FrameFaces decode() {
        return serde.decode(bytes);
    }
}
