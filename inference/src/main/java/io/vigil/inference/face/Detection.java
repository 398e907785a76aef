package io.vigil.inference.face;

import io.vigil.api.face.FaceBox;

/** A detector hit in image pixels. */
public record Detection(FaceBox box, float score) {}
