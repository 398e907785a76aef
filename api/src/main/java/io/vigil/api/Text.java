package io.vigil.api;

/** The rule for free text that people read (display names, metadata values): bounded, and no control characters. */
public final class Text {
    public static final int MAX_LENGTH = 256;

    private Text() {}

    /**
     * {@code s} as a stranger's text may be echoed (in an error, a log, an audit event): control characters as
     * {@code ?}, at most {@code max} characters, the cut marked with an ellipsis; null as empty.
     */
    public static String cut(String s, int max) {
        String clean = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }

    /** A problem description, or null when the text is fine. */
    public static String problem(String what, String text) {
        if (text == null || text.isBlank()) {
            return what + " is missing";
        }
        if (text.length() > MAX_LENGTH) {
            return what + " is " + text.length() + " characters long; at most " + MAX_LENGTH;
        }
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)) {
            return what + " contains control characters (line breaks, tabs); use plain text";
        }
        return null;
    }
}
