package io.vigil.ingest;

import io.vigil.ingest.camera.CameraPolicy;
import io.vigil.ingest.camera.Decoding;
import io.vigil.ingest.camera.MotionGate;
import io.vigil.runtime.config.ConfigReader;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ingest stage's settings ({@code VIGIL_INGEST_*}).
 *
 * @param jpegQuality  JPEG quality of published frames
 * @param timeout      no data for this long = a stalled camera (also the connect timeout)
 * @param backoffMin   first reconnect delay
 * @param backoffMax   reconnect delays double up to this, with jitter
 * @param queue        frames waiting between decoding and publishing, per camera; the oldest is dropped when full
 * @param allow        camera URLs allowed beyond the defaults: local files, loopback, link-local, metadata hosts
 * @param motion       motion gating: which sampled frames go on to inference
 * @param decoding     decoder threads per camera and which frames are deblocked
 */
public record IngestConfig(
        int jpegQuality,
        Duration timeout,
        Duration backoffMin,
        Duration backoffMax,
        int queue,
        Set<CameraPolicy.Allow> allow,
        MotionGate.Settings motion,
        Decoding decoding) {
    public IngestConfig {
        allow = allow.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allow));
    }

    public CameraPolicy policy() {
        return new CameraPolicy(allow);
    }

    public static IngestConfig from(ConfigReader r) {
        Duration min = r.duration(
                "VIGIL_INGEST_BACKOFF_MIN", Duration.ofSeconds(1), Duration.ofMillis(10), Duration.ofMinutes(5));
        Duration max = r.duration(
                "VIGIL_INGEST_BACKOFF_MAX", Duration.ofSeconds(30), Duration.ofMillis(10), Duration.ofHours(1));
        if (max.compareTo(min) < 0) {
            r.problem("VIGIL_INGEST_BACKOFF_MAX=" + max + " is below VIGIL_INGEST_BACKOFF_MIN=" + min
                    + "; raise the maximum");
        }
        return new IngestConfig(
                r.intValue("VIGIL_INGEST_JPEG_QUALITY", 80, 10, 100),
                r.duration(
                        "VIGIL_INGEST_TIMEOUT", Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMinutes(5)),
                min,
                max,
                r.intValue("VIGIL_INGEST_QUEUE", 2, 1, 1000),
                allow(r),
                new MotionGate.Settings(
                        r.bool("VIGIL_INGEST_MOTION", true),
                        r.intValue("VIGIL_INGEST_MOTION_THRESHOLD", 10, 1, 254),
                        // under half of VigilCameraDown's 60 s, so a still scene never looks like a dead camera
                        r.duration(
                                "VIGIL_INGEST_FULL_PASS",
                                Duration.ofSeconds(2),
                                Duration.ofMillis(100),
                                Duration.ofSeconds(30))),
                new Decoding(
                        r.intValue("VIGIL_INGEST_DECODE_THREADS", Decoding.DEFAULT.threads(), 0, 64),
                        r.enumValue("VIGIL_INGEST_DEBLOCK", Deblock.class, Deblock.SAMPLED) == Deblock.ALL));
    }

    /** Which frames H.264's deblocking filter runs on: those the sampler keeps, or all of them. */
    private enum Deblock {
        SAMPLED,
        ALL
    }

    private static Set<CameraPolicy.Allow> allow(ConfigReader r) {
        Set<CameraPolicy.Allow> out = EnumSet.noneOf(CameraPolicy.Allow.class);
        for (String v : r.list("VIGIL_INGEST_ALLOW", List.of())) {
            try {
                out.add(CameraPolicy.Allow.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                r.problem("VIGIL_INGEST_ALLOW entry '" + v + "' is invalid: expected a comma-separated list of file,"
                        + " loopback, link-local, metadata (or unset it to allow none of them)");
            }
        }
        return out;
    }

    /** This config allowing more camera URLs (the demo allows its own sample camera and files). */
    public IngestConfig allowing(Set<CameraPolicy.Allow> more) {
        EnumSet<CameraPolicy.Allow> all = EnumSet.noneOf(CameraPolicy.Allow.class);
        all.addAll(allow);
        all.addAll(more);
        return new IngestConfig(jpegQuality, timeout, backoffMin, backoffMax, queue, all, motion, decoding);
    }
}
