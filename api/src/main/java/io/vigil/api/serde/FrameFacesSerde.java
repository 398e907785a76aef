package io.vigil.api.serde;

import io.vigil.api.face.Face;
import io.vigil.api.face.FaceBox;
import io.vigil.api.face.FrameFaces;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary wire format of {@link FrameFaces}, version 4:
 * {@code u8 version | u16+utf8 cameraId | i64 sequence | i64 captureTimeMs | i64 processedAtMs | i32 frameWidth |
 * i32 frameHeight | i32 framePartition | i64 frameOffset | u16+utf8 model | u16 faceCount | faces} (model empty when
 * not known; versions 1 to 3, still read, have no model, and version 1 no frame partition and offset: upgrade
 * matchers before inference), each face
 * {@code f32 x1 y1 x2 y2 | f32 x10 landmarks | f32 score | u16 dim | f32 x dim embedding | i32+bytes thumbnail |
 * i64 trackId} (versions 1 and 2, still read, have no track id).
 */
public final class FrameFacesSerde extends WireSerde<FrameFaces> {
    public static final int VERSION = 4;
    private static final int VERSION_WITHOUT_MODEL = 3;
    private static final int VERSION_WITHOUT_FRAME = 1;
    public static final int MAX_EMBEDDING_DIM = 4096;
    public static final int MAX_THUMBNAIL_BYTES = 256 * 1024;

    @Override
    public byte[] encode(FrameFaces ff) {
        String model = ff.model() == null ? "" : ff.model();
        int size = 1
                + BinaryWriter.stringSize(ff.cameraId())
                + 8
                + 8
                + 8
                + 4
                + 4
                + 4
                + 8
                + BinaryWriter.stringSize(model)
                + 2;
        for (Face f : ff.faces()) {
            size += 16 + 40 + 4 + 2 + 4 * f.embedding().length + 4 + f.thumbnail().length + 8;
        }
        BinaryWriter w = new BinaryWriter(size)
                .u8(VERSION)
                .string(ff.cameraId())
                .i64(ff.sequence())
                .i64(ff.captureTimeMs())
                .i64(ff.processedAtMs())
                .i32(ff.frameWidth())
                .i32(ff.frameHeight())
                .i32(ff.framePartition())
                .i64(ff.frameOffset())
                .string(model)
                .u16(ff.faces().size());
        for (Face f : ff.faces()) {
            FaceBox b = f.box();
            w.f32(b.x1())
                    .f32(b.y1())
                    .f32(b.x2())
                    .f32(b.y2())
                    .floats(f.landmarks())
                    .f32(f.score())
                    .u16(f.embedding().length)
                    .floats(f.embedding())
                    .bytes(f.thumbnail())
                    .i64(f.trackId());
        }
        return w.array();
    }

    @Override
    public FrameFaces decode(byte[] bytes) {
        BinaryReader r = new BinaryReader("faces", bytes);
        int version = r.version();
        if (version < VERSION_WITHOUT_FRAME || version > VERSION) {
            throw new UnknownVersionException("faces", version, VERSION);
        }
        String camera = r.string("cameraId");
        long seq = r.i64("sequence");
        long capture = r.i64("captureTimeMs");
        long processed = r.i64("processedAtMs");
        int fw = r.i32("frameWidth");
        int fh = r.i32("frameHeight");
        int partition = version != VERSION_WITHOUT_FRAME ? r.i32("framePartition") : -1;
        long offset = version != VERSION_WITHOUT_FRAME ? r.i64("frameOffset") : -1;
        String model = version >= VERSION ? r.string("model") : "";
        int count = r.u16("faceCount");
        List<Face> faces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FaceBox box = new FaceBox(r.f32("box"), r.f32("box"), r.f32("box"), r.f32("box"));
            float[] landmarks = r.floats("landmarks", Face.LANDMARK_VALUES);
            float score = r.f32("score");
            int dim = r.u16("embeddingDim");
            if (dim == 0 || dim > MAX_EMBEDDING_DIM) {
                throw new WireFormatException(
                        "faces record has embedding dimension " + dim + "; expected 1.." + MAX_EMBEDDING_DIM);
            }
            float[] embedding = r.floats("embedding", dim);
            byte[] thumb = r.bytes("thumbnail", MAX_THUMBNAIL_BYTES);
            long track = version >= VERSION_WITHOUT_MODEL ? r.i64("trackId") : Face.NO_TRACK;
            faces.add(construct("faces", () -> new Face(box, landmarks, score, embedding, thumb, track)));
        }
        r.end();
        return construct(
                "faces",
                () -> new FrameFaces(
                        camera,
                        seq,
                        capture,
                        processed,
                        fw,
                        fh,
                        faces,
                        partition,
                        offset,
                        model.isEmpty() ? null : model));
    }
}
