package io.vigil.api;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one door for showing a URL: every URL that is logged, stored on a topic, put in a metric or printed goes
 * through {@link #maskUrl}, and every text that may contain one (FFmpeg's error messages, exception texts) through
 * {@link #maskText}. The whole userinfo becomes {@code ***} (a user name alone can be a token), and so does the value
 * of every query parameter whose name looks like a secret.
 */
public final class Secrets {
    public static final String MASK = "***";
    /** Query parameter names (case-insensitive substrings) whose values are secrets. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "pass|pwd|secret|token|key|auth|sig|credential|session|cookie|jwt|bearer", Pattern.CASE_INSENSITIVE);
    /** A URL inside free text: a scheme, "://" or ":" and everything up to whitespace or a quote. */
    private static final Pattern URL_IN_TEXT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:(//)?[^\\s\"'<>]+");

    private Secrets() {}

    /** The URL with its userinfo and secret-looking query values replaced by {@code ***}; null stays null. */
    public static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        String out = maskUserInfo(url);
        int q = out.indexOf('?');
        if (q < 0) {
            return out;
        }
        int hash = out.indexOf('#', q);
        String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
        StringBuilder b = new StringBuilder(out.substring(0, q + 1));
        String[] parts = query.split("[&;]", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            b.append(i == 0 ? "" : "&");
            b.append(eq >= 0 && SECRET_NAME.matcher(name).find() ? name + "=" + MASK : p);
        }
        return b.append(hash < 0 ? "" : out.substring(hash)).toString();
    }

    /** Free text with every URL in it masked by {@link #maskUrl}. */
    public static String maskText(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = URL_IN_TEXT.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(
                    b,
                    Matcher.quoteReplacement(
                            m.group().contains("@") || m.group().contains("?") ? maskUrl(m.group()) : m.group()));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Whether a name (a query parameter, an option, a header) looks like it holds a secret. */
    public static boolean secretName(String name) {
        return name != null
                && SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
    }

    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? url.indexOf(':') + 1 : scheme + 3;
        if (start <= 0) {
            return url;
        }
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + MASK + url.substring(at);
    }
}
