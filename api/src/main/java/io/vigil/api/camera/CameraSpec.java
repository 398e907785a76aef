package io.vigil.api.camera;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Ids;
import io.vigil.api.Secrets;

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
 * @param url           stream URL: rtsp, rtsps, http(s), or file:///path (where ingest allows files: demo, tests)
 * @param fps           frames per second to publish, 0.1..30, sampled by capture time
 * @param maxWidth      downscale frames wider than this (keeping aspect); 0 = never
 * @param keyframesOnly decode only key frames (cheap, for low fps)
 * @param options       extra FFmpeg options from {@link CameraOptions}' allowlist, e.g. {@code rtsp_flags=prefer_tcp}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CameraSpec(
        String id, String url, double fps, int maxWidth, boolean keyframesOnly, Map<String, String> options) {
    public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "http", "https", "file");
    public static final double MIN_FPS = 0.1;
    public static final double MAX_FPS = 30;
    public static final int MAX_URL_LENGTH = 2048;
    private static final List<String> DEVICE_ROOTS = List.of("/dev", "/proc", "/sys", "/run", "/var/run");

    public CameraSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
        List<String> problems = problems(id, url, fps, maxWidth);
        problems.addAll(CameraOptions.problems(options));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Every problem with these values, so that a user sees them all at once (options: {@link CameraOptions}). */
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
        if (url.length() > MAX_URL_LENGTH || !url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return "camera url must be at most " + MAX_URL_LENGTH + " printable ASCII characters without spaces;"
                    + " percent-encode anything else";
        }
        String shown = Secrets.maskUrl(url);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "camera url is not a valid URI (" + e.getReason()
                    + "); percent-encode special characters in the password";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return "camera url '" + shown + "' has scheme '" + scheme + "'; use one of rtsp, rtsps, http, https, file";
        }
        if (scheme.equals("file")) {
            return fileProblem(uri, shown);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "camera url '" + shown + "' has no host; give e.g. rtsp://host:554/stream";
        }
        return null;
    }

    /** A file URL names a regular file by absolute path: {@code file:///videos/a.mp4}; nothing else FFmpeg would open. */
    private static String fileProblem(URI uri, String shown) {
        if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            return "camera url '" + shown + "' is not a file path; write file:///absolute/path/video.mp4";
        }
        if (uri.getHost() != null && !uri.getHost().equals("localhost")
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return "camera url '" + shown + "' must be a plain local path (no host, user, query or fragment);"
                    + " write file:///absolute/path/video.mp4";
        }
        String path = uri.getPath();
        for (String device : DEVICE_ROOTS) {
            if (path.equals(device) || path.startsWith(device + "/")) {
                return "camera url '" + shown + "' names a device or system file under " + device
                        + "; only video files may be read";
            }
        }
        if (path.contains("/../") || path.endsWith("/..")) {
            return "camera url '" + shown + "' must not contain '..'; give the file's real path";
        }
        return null;
    }

    /** The URL with its userinfo and secret query values masked: safe for logs, tables and status records. */
    public String maskedUrl() {
        return Secrets.maskUrl(url);
    }

    /** The scheme, lower case. */
    public String scheme() {
        return URI.create(url).getScheme().toLowerCase(Locale.ROOT);
    }

    /** The local path of a file camera. */
    public String filePath() {
        return URI.create(url).getPath();
    }
}
