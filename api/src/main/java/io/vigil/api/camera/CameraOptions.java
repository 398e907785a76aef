package io.vigil.api.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The FFmpeg options a camera may carry: an allowlist of keys, each with the values it takes. Everything else is
 * refused, because FFmpeg options can turn a client into a server ({@code listen}), send requests
 * ({@code method}, {@code post_data}, {@code headers}), switch off TLS checks ({@code tls_verify}) or timeouts
 * ({@code timeout=-1}). Vigil's own safety options (timeout, transport, protocol whitelist) are not settable here and
 * are applied after these.
 */
public final class CameraOptions {
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]{1,256}");
    private static final Map<String, Predicate<String>> ALLOWED = new TreeMap<>(Map.of(
            "rtsp_flags", flags(Set.of("prefer_tcp", "filter_src")),
            "allowed_media_types", flags(Set.of("video", "audio", "data", "subtitle")),
            "fflags", flags(Set.of("nobuffer", "genpts", "discardcorrupt", "igndts", "ignidx", "nofillin")),
            "buffer_size", range(0, 64L << 20),
            "max_delay", range(0, 60_000_000),
            "reorder_queue_size", range(0, 10_000),
            "analyzeduration", range(0, 60_000_000),
            "probesize", range(32, 64L << 20),
            "fpsprobesize", range(-1, 1_000),
            "user_agent", v -> PRINTABLE.matcher(v).matches()));

    private CameraOptions() {}

    /** The keys a camera option may have. */
    public static Set<String> allowedKeys() {
        return ALLOWED.keySet();
    }

    /** Every problem with these options; empty when all are allowed. */
    public static List<String> problems(Map<String, String> options) {
        List<String> out = new ArrayList<>();
        options.forEach((key, value) -> {
            Predicate<String> rule = ALLOWED.get(key);
            if (rule == null) {
                out.add("FFmpeg option '" + printable(key) + "' is not allowed; allowed are "
                        + String.join(", ", ALLOWED.keySet())
                        + " (timeouts, transport and protocols are set by Vigil)");
            } else if (value == null || !rule.test(value)) {
                out.add("FFmpeg option " + key + "='" + printable(value) + "' has a value Vigil does not accept");
            }
        });
        return out;
    }

    private static Predicate<String> flags(Set<String> allowed) {
        return v -> !v.isEmpty()
                && v.length() <= 128
                && List.of(v.split("[+,|]")).stream()
                        .map(f -> f.startsWith("-") ? f.substring(1) : f)
                        .filter(f -> !f.isEmpty())
                        .allMatch(allowed::contains);
    }

    private static Predicate<String> range(long min, long max) {
        return v -> {
            if (!v.matches("-?\\d{1,12}")) {
                return false;
            }
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        };
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 64 ? p.substring(0, 64) + "..." : p;
    }
}
