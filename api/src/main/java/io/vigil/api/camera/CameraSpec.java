package io.vigil.api.camera;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Ids;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A camera registration, the value on the compacted {@code cameras} topic (key = id; a tombstone removes it).
 *
 * @param id            camera id
 * @param url           stream URL: rtsp, rtsps, http(s), or file (tests, replays)
 * @param fps           frames per second to publish, 0.1..30, sampled by capture time
 * @param maxWidth      downscale frames wider than this (keeping aspect); 0 = never
 * @param keyframesOnly decode only key frames (cheap, for low fps)
 * @param options       extra FFmpeg options, e.g. {@code rtsp_flags=prefer_tcp}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CameraSpec(String id, String url, double fps, int maxWidth, boolean keyframesOnly,
                         Map<String, String> options) {
    public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "file");
    public static final double MIN_FPS = 0.1;
    public static final double MAX_FPS = 30;

    public CameraSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
        List<String> problems = problems(id, url, fps, maxWidth);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Every problem with these values, so that a user sees them all at once. */
    public static List<String> problems(String id, String url, double fps, int maxWidth) {
        List<String> out = new ArrayList<>();
        String idProblem = Ids.problem("camera id", id);
        if (idProblem != null) {
            out.add(idProblem);
        }
        String urlProblem = urlProblem(url);
        if (urlProblem != null) {
            out.add(urlProblem);
        }
        if (!(fps >= MIN_FPS && fps <= MAX_FPS)) {
            out.add("fps " + fps + " is out of range; use " + MIN_FPS + " to " + (int) MAX_FPS);
        }
        if (maxWidth != 0 && (maxWidth < 64 || maxWidth > 7680)) {
            out.add("max width " + maxWidth + " is out of range; use 64 to 7680, or 0 for no downscale");
        }
        return out;
    }

    private static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "camera url is missing; give e.g. rtsp://host:554/stream";
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme)) {
                return "camera url '" + maskPassword(url) + "' has scheme '" + scheme + "'; use one of rtsp, rtsps, http, https, file";
            }
            if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isEmpty())) {
                return "camera url '" + maskPassword(url) + "' has no host; give e.g. rtsp://host:554/stream";
            }
            return null;
        } catch (URISyntaxException e) {
            return "camera url is not a valid URI (" + e.getReason() + "); percent-encode special characters in the password";
        }
    }

    /** The URL with any password replaced by {@code ***}, safe for logs, tables and status records. */
    public String maskedUrl() {
        return maskPassword(url);
    }

    public static String maskPassword(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int at = url.indexOf('@', scheme + 3);
        int slash = url.indexOf('/', scheme + 3);
        if (scheme < 0 || at < 0 || (slash >= 0 && slash < at)) {
            return url;
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return url;
        }
        return url.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + url.substring(at);
    }
}
