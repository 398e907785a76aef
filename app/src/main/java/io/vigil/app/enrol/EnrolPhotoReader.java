package io.vigil.app.enrol;

import io.vigil.api.face.Face;
import io.vigil.console.PhotoReader;
import io.vigil.inference.InferenceConfig;
import io.vigil.inference.face.CorruptImageException;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.face.Images;
import io.vigil.inference.face.JpegHeader;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.List;
import java.util.Locale;

/**
 * The console's photo reader: an uploaded photo's header checked before a pixel is decoded (a small file may claim a
 * huge picture), then the same detector, quality gates and embedder as inference and enrolment, through
 * {@link Enroller}. One photo at a time.
 */
public final class EnrolPhotoReader implements PhotoReader {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private final InferenceConfig config;
    private final long maxPixels;
    private Enroller enroller;

    public EnrolPhotoReader(InferenceConfig config, long maxPixels) {
        this.config = config;
        this.maxPixels = maxPixels;
    }

    @Override
    public synchronized Reading read(byte[] photo) {
        String header = headerProblem(photo);
        if (header != null) {
            return new Reading(0, 0, 0, null, null, header);
        }
        Mat image;
        try {
            image = Images.decode(photo);
        } catch (CorruptImageException e) {
            return new Reading(
                    0, 0, 0, null, null, "the photo does not decode (corrupt or cut short); export it again as JPEG");
        }
        try (image) {
            Enroller e = enroller();
            List<Face> faces = e.faces(image);
            if (faces.isEmpty()) {
                return new Reading(0, 0, 0, null, null, e.noFaceReason());
            }
            Face largest = Enroller.largest(faces);
            int size = Math.round(Math.min(largest.box().width(), largest.box().height()));
            double sharpness = FaceAnalyzer.boxSharpness(image, largest.box());
            if (faces.size() > 1) {
                return new Reading(
                        faces.size(),
                        size,
                        sharpness,
                        null,
                        null,
                        faces.size() + " faces found; upload a photo of this person alone, or crop it to their face");
            }
            return new Reading(1, size, sharpness, largest.embedding(), Enroller.keep(image, largest.box()), null);
        }
    }

    /** Why the bytes are not a photo to decode, or null: JPEG or PNG, at most {@code maxPixels}. */
    String headerProblem(byte[] photo) {
        long width;
        long height;
        if (photo.length >= 4 && (photo[0] & 0xff) == 0xff && (photo[1] & 0xff) == 0xd8) {
            try {
                JpegHeader h = JpegHeader.read(photo);
                width = h.width();
                height = h.height();
            } catch (CorruptImageException e) {
                return "the JPEG is corrupt (" + e.getMessage() + "); export it again";
            }
        } else if (photo.length >= 24 && java.util.Arrays.equals(photo, 0, 8, PNG, 0, 8)) {
            width = readInt(photo, 16);
            height = readInt(photo, 20);
        } else {
            return "not a JPEG or PNG image; upload photos as JPEG or PNG";
        }
        if (width <= 0 || height <= 0 || width * height > maxPixels) {
            return String.format(
                    Locale.ROOT,
                    "the photo is %dx%d pixels; at most %.0f megapixels are read (VIGIL_CONSOLE_MAX_PIXELS):"
                            + " scale it down",
                    width,
                    height,
                    maxPixels / 1e6);
        }
        return null;
    }

    private static long readInt(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    /** The models load on the first photo, not when the console starts. */
    private Enroller enroller() {
        if (enroller == null) {
            enroller = new Enroller(config);
        }
        return enroller;
    }

    @Override
    public synchronized String model() {
        return enroller().model();
    }

    @Override
    public synchronized void close() {
        if (enroller != null) {
            enroller.close();
            enroller = null;
        }
    }
}
