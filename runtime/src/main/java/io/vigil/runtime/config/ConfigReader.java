package io.vigil.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code VIGIL_*} settings from the environment and, below it, from an optional properties file (named by
 * {@code VIGIL_CONFIG_FILE}; keys written either {@code VIGIL_INGEST_FPS} or {@code vigil.ingest.fps}). Problems are
 * collected rather than thrown, so {@link #finish()} reports all of them at once, unknown keys included.
 */
public final class ConfigReader {
    public static final String PREFIX = "VIGIL_";
    public static final String CONFIG_FILE = "VIGIL_CONFIG_FILE";
    /** A setting's value may be given as the content of a file named by the setting plus this suffix. */
    public static final String FILE_SUFFIX = "_FILE";

    /** The shortest secret accepted: 16 random characters are beyond guessing over HTTP. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** Words of example values that must never guard a real deployment. */
    private static final List<String> PLACEHOLDERS = List.of(
            "changeme",
            "changeit",
            "replaceme",
            "placeholder",
            "example",
            "yoursecret",
            "yourtoken",
            "password",
            "secret",
            "token");

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Map<String, String> sources;
    private final Set<String> known = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(Map<String, String> environment, Properties file, String fileName) {
        values = new HashMap<>();
        sources = new HashMap<>();
        for (String name : file.stringPropertyNames()) {
            String key = normalise(name);
            values.put(key, file.getProperty(name).trim());
            sources.put(key, fileName);
        }
        environment.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                values.put(k, v.trim());
                sources.put(k, "environment");
            }
        });
        known.add(CONFIG_FILE);
    }

    public ConfigReader(Map<String, String> environment) {
        this(environment, new Properties(), "none");
    }

    /** The process environment plus the file named by VIGIL_CONFIG_FILE, if any. */
    public static ConfigReader fromEnvironment() {
        return fromEnvironment(null);
    }

    /** The process environment plus {@code file} (a command's {@code --config}), else VIGIL_CONFIG_FILE's file. */
    public static ConfigReader fromEnvironment(Path configFile) {
        Map<String, String> env = System.getenv();
        String file = configFile != null ? configFile.toString() : env.get(CONFIG_FILE);
        Properties props = new Properties();
        if (file != null && !file.isBlank()) {
            try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new ConfigException(List.of(CONFIG_FILE + "=" + file + ": cannot read the file (" + e.getMessage()
                        + "); fix the path or unset " + CONFIG_FILE));
            }
        }
        return new ConfigReader(env, props, file == null ? "none" : file);
    }

    static String normalise(String key) {
        String k = key.trim();
        if (k.startsWith("vigil.")) {
            k = k.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
        }
        return k;
    }

    /**
     * A string setting. When {@code KEY} is not set but {@code KEY_FILE} is, the value is read from that file (how
     * Kubernetes and Docker hand secrets to a process); its content is trimmed.
     */
    public String string(String key, String def) {
        known.add(key);
        known.add(key + FILE_SUFFIX);
        String v = values.get(key);
        if ((v == null || v.isEmpty()) && values.containsKey(key + FILE_SUFFIX)) {
            v = fromFile(key + FILE_SUFFIX, values.get(key + FILE_SUFFIX));
        }
        return v == null || v.isEmpty() ? def : v;
    }

    /**
     * A secret (a token, an HMAC key): like {@link #string}, but a value that is short, a placeholder such as
     * {@code change-me}, or made of a few repeated characters is a problem, so a copied example never guards anything.
     * The value itself is never repeated in the message.
     */
    public String secret(String key) {
        String v = string(key, null);
        if (v == null) {
            return null;
        }
        String weakness = weakness(v);
        if (weakness != null) {
            problems.add(key + " (from " + sources.getOrDefault(key, sources.get(key + FILE_SUFFIX)) + ") is "
                    + weakness + "; use at least " + MIN_SECRET_LENGTH
                    + " random characters, e.g. the output of `openssl rand -hex 24`");
            return null;
        }
        return v;
    }

    /** Why {@code secret} guards nothing, or null when it is acceptable. */
    static String weakness(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            return "too short (" + secret.length() + " characters)";
        }
        String letters = secret.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        for (String placeholder : PLACEHOLDERS) {
            if (letters.contains(placeholder)) {
                return "a placeholder (it contains '" + placeholder + "')";
            }
        }
        if (secret.chars().distinct().count() < 6) {
            return "too repetitive (" + secret.chars().distinct().count() + " distinct characters)";
        }
        return null;
    }

    private String fromFile(String key, String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
        } catch (IOException | RuntimeException e) {
            problems.add(key + "=" + path + " (from " + sources.get(key) + "): cannot read the file ("
                    + e.getClass().getSimpleName() + "); fix the path or its permissions");
            return null;
        }
    }

    /**
     * Every setting under {@code prefix} except the named ones, as {@code lower.case.dotted} names with their values
     * (files read for {@code _FILE} keys): how Kafka client settings are given, e.g.
     * {@code VIGIL_KAFKA_SECURITY_PROTOCOL=SASL_SSL} for {@code security.protocol}.
     */
    public Map<String, String> prefixed(String prefix, Set<String> except) {
        Map<String, String> out = new TreeMap<>();
        for (String key : values.keySet()) {
            if (!key.startsWith(prefix) || except.contains(key)) {
                continue;
            }
            boolean file = key.endsWith(FILE_SUFFIX)
                    && !values.containsKey(key.substring(0, key.length() - FILE_SUFFIX.length()));
            String base = file ? key.substring(0, key.length() - FILE_SUFFIX.length()) : key;
            if (except.contains(base) || (key.endsWith(FILE_SUFFIX) && !file)) {
                known.add(key);
                continue;
            }
            String value = string(base, null);
            String name =
                    base.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** A required string: a missing value is a problem, reported with the hint. */
    public String required(String key, String hint) {
        String v = string(key, null);
        if (v == null) {
            problems.add(key + " is not set; " + hint);
        }
        return v;
    }

    public int intValue(String key, int def, int min, int max) {
        return parse(key, def, "an integer from " + min + " to " + max, s -> {
            int v = Integer.parseInt(s);
            return v >= min && v <= max ? v : null;
        });
    }

    public long longValue(String key, long def, long min, long max) {
        return parse(key, def, "an integer from " + min + " to " + max, s -> {
            long v = Long.parseLong(s);
            return v >= min && v <= max ? v : null;
        });
    }

    public double doubleValue(String key, double def, double min, double max) {
        return parse(key, def, "a number from " + min + " to " + max, s -> {
            double v = Double.parseDouble(s);
            return v >= min && v <= max ? v : null;
        });
    }

    public boolean bool(String key, boolean def) {
        return parse(key, def, "true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        });
    }

    /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}. */
    public Duration duration(String key, Duration def, Duration min, Duration max) {
        return parse(key, def, "a duration from " + fmt(min) + " to " + fmt(max) + " such as 500ms, 30s, 5m, 7d", s -> {
            Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
        });
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
        String allowed = String.join(
                ", ",
                Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .toList());
        return parse(key, def, "one of " + allowed, s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)));
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key, List<String> def) {
        String v = string(key, null);
        if (v == null) {
            return def;
        }
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** Records a cross-field problem found by a section while building its record. */
    public void problem(String message) {
        problems.add(message);
    }

    private <T> T parse(String key, T def, String expected, Function<String, T> parser) {
        String raw = string(key, null);
        if (raw == null) {
            return def;
        }
        T v;
        try {
            v = parser.apply(raw);
        } catch (RuntimeException e) {
            v = null;
        }
        if (v == null) {
            problems.add(key + "=" + raw + " (from " + sources.get(key) + ") is invalid: expected " + expected
                    + (def == null ? "" : "; unset it to use the default " + format(def)));
            return def;
        }
        return v;
    }

    private static String format(Object o) {
        return o instanceof Duration d
                ? fmt(d)
                : o instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(o);
    }

    private static String fmt(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 86400 == 0 ? s / 86400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Every VIGIL_ key given but never read: usually a typo. */
    public List<String> unknownKeys() {
        return values.keySet().stream()
                .filter(k -> k.startsWith(PREFIX) && !known.contains(k))
                .sorted()
                .toList();
    }

    /** Throws one {@link ConfigException} listing every problem found so far, unknown keys included. */
    public void finish() {
        List<String> all = new ArrayList<>(problems);
        for (String k : unknownKeys()) {
            all.add(k + " (from " + sources.get(k) + ") is not a Vigil setting; check the spelling against the"
                    + " configuration reference in README.md, or remove it");
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    /** The keys read so far, for the configuration reference. */
    public Set<String> knownKeys() {
        return Set.copyOf(known);
    }
}
