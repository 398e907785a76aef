package io.vigil.console;

import io.vigil.api.watchlist.Similarity;
import io.vigil.runtime.config.ConfigReader;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The console service's settings ({@code VIGIL_CONSOLE_*}).
 *
 * @param tokens          the tokens file ({@code NAME ROLE sha256:HEX} lines); null = no tokens, everyone is admin,
 *                        allowed only when the HTTP server listens on loopback
 * @param maxPhotos       photos one enrolment may upload
 * @param maxPhotoBytes   largest photo accepted
 * @param maxUploadBytes  largest upload accepted in all (more is refused with 413 before it is read)
 * @param maxPixels       largest photo accepted, in pixels, checked in its header before it is decoded
 * @param duplicateAt     a new photo at least this similar to an enrolled person is reported as a possible duplicate
 * @param duplicateCheck  most embeddings held for the duplicate check; above it the check is skipped and says so
 * @param alertScan       most alert records one search reads before it answers with what it found
 */
public record ConsoleConfig(
        Path tokens,
        int maxPhotos,
        int maxPhotoBytes,
        long maxUploadBytes,
        long maxPixels,
        double duplicateAt,
        int duplicateCheck,
        int alertScan) {
    public static final ConsoleConfig DEFAULT = new ConsoleConfig(
            null, 10, 10 << 20, 25L << 20, 40_000_000L, Similarity.DEFAULT_THRESHOLD, 200_000, 200_000);

    /** How long an upload may take to arrive. */
    public static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

    public static ConsoleConfig from(ConfigReader r) {
        String tokens = r.string("VIGIL_CONSOLE_TOKENS", null);
        ConsoleConfig d = DEFAULT;
        return new ConsoleConfig(
                tokens == null || tokens.isBlank() ? null : Path.of(tokens),
                r.intValue("VIGIL_CONSOLE_MAX_PHOTOS", d.maxPhotos(), 1, 64),
                r.intValue("VIGIL_CONSOLE_MAX_PHOTO_BYTES", d.maxPhotoBytes(), 64 << 10, 64 << 20),
                r.longValue("VIGIL_CONSOLE_MAX_UPLOAD_BYTES", d.maxUploadBytes(), 64 << 10, 1L << 30),
                r.longValue("VIGIL_CONSOLE_MAX_PIXELS", d.maxPixels(), 10_000, 400_000_000L),
                r.doubleValue("VIGIL_CONSOLE_DUPLICATE_AT", d.duplicateAt(), 0.01, 0.99),
                r.intValue("VIGIL_CONSOLE_DUPLICATE_CHECK", d.duplicateCheck(), 0, 10_000_000),
                r.intValue("VIGIL_CONSOLE_ALERT_SCAN", d.alertScan(), 1000, 100_000_000));
    }

    public ConsoleConfig withTokens(Path file) {
        return new ConsoleConfig(
                file, maxPhotos, maxPhotoBytes, maxUploadBytes, maxPixels, duplicateAt, duplicateCheck, alertScan);
    }
}
