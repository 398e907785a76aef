package io.vigil.app;

import io.vigil.api.face.Face;
import io.vigil.inference.face.FaceAnalyzer;
import io.vigil.inference.worker.InferenceConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns enrolment photos into embeddings: exactly one usable face per photo, or a reason why not. */
final class Enroller implements AutoCloseable {
    private final FaceAnalyzer analyzer;
    private final InferenceConfig config;
    private final List<String> rejections = new ArrayList<>();

    Enroller(InferenceConfig config) {
        this.config = config;
        this.analyzer = new FaceAnalyzer(config.detector(), config.landmarks(), config.embedder(), config.session(),
                config.tiling(), config.detectionThreshold(), 32, config.quality(), new FaceAnalyzer.Listener() {
            @Override
            public void rejected(String reason) {
                rejections.add(reason);
            }
        });
    }

    /** The embedding of the one face in {@code image}; with {@code largest}, of the largest of several. */
    float[] embed(Path image, boolean largest) {
        rejections.clear();
        List<Face> faces = analyzer.analyze(List.of(FacesCommand.read(image))).get(0);
        if (faces.isEmpty()) {
            if (rejections.contains("too-small")) {
                throw new UserException(image + ": the face is too small (under " + config.quality().minFaceSize()
                        + " px); use a closer photo, or lower VIGIL_INFERENCE_MIN_FACE");
            }
            if (!rejections.isEmpty()) {
                throw new UserException(image + ": no usable face (rejected as " + String.join(", ", rejections)
                        + "); use a sharp, frontal photo");
            }
            throw new UserException(image + ": no face found; use a photo where the face is clearly visible");
        }
        if (faces.size() > 1 && !largest) {
            throw new UserException(image + ": " + faces.size() + " faces found; crop the photo to one person,"
                    + " or pass --largest to enrol the largest face");
        }
        return faces.stream().max(Comparator.comparingDouble(f -> f.box().area())).orElseThrow().embedding();
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
