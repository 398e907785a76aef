package io.vigil.inference.face;

/**
 * Quality gates and output options of the face pipeline.
 *
 * @param minFaceSize      smallest face side in pixels that is embedded (smaller ones are counted as too-small)
 * @param minScore         detection score below which a face is not embedded (counted as low-score)
 * @param minSharpness     variance of the Laplacian of the aligned grey face below which it is counted as blurry
 * @param minEmbeddingNorm the embedder's raw output norm below which a detection is counted as not-a-face: the
 *                         feature norm of face recognition networks falls for non-faces and poor crops
 *                         (measured here: human faces 3.0 to 4.7, dogs the detector took for faces 2.1 to 3.0)
 * @param thumbnailHeight  height of the face thumbnail in alerts
 * @param thumbnailQuality its JPEG quality
 */
public record AnalyzerSettings(
        int minFaceSize,
        float minScore,
        double minSharpness,
        float minEmbeddingNorm,
        int thumbnailHeight,
        int thumbnailQuality) {
    public static final AnalyzerSettings DEFAULT = new AnalyzerSettings(20, 0.85f, 10, 2.6f, 96, 80);
}
