package io.vigil.ingest.camera;

/**
 * How a camera's video is decoded. Every frame of the stream must be decoded (each is the reference of the next),
 * but only the sampled ones are looked at: the others can skip H.264's deblocking filter, which is about half of
 * the decoder's work, and a camera needs only one decoder thread when cameras are the parallelism.
 *
 * @param threads      decoder threads per camera; 1 decodes frames in order on the camera's own thread (the cheapest
 *                     in CPU, and the only way the deblocking choice lands on exactly the right frames), 0 lets
 *                     FFmpeg use one per core (faster for a single very large stream, about 20 % more CPU)
 * @param deblockAll   deblock every frame (FFmpeg's default); when false only the frames the sampler keeps are
 *                     deblocked, and the skipped frames' small differences carry into the next few frames that
 *                     predict from them (under 0.01 % of a grey level on average on the bench's walk clip)
 */
public record Decoding(int threads, boolean deblockAll) {
    public static final Decoding DEFAULT = new Decoding(1, false);

    public Decoding {
        if (threads < 0 || threads > 64) {
            throw new IllegalArgumentException("decoder threads must be 0 (FFmpeg's choice) to 64, not " + threads);
        }
    }
}
