package io.vigil.api;

import java.util.regex.Pattern;

/** The one rule for camera and person ids: they are Kafka keys, metric tags and URL path parts. */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {}

    /** Returns a problem description, or null when the id is valid. */
    public static String problem(String what, String id) {
        if (id == null || id.isEmpty()) {
            return what + " is missing; give 1-64 characters from A-Z a-z 0-9 . _ -";
        }
        if (!ID.matcher(id).matches()) {
            return what + " '" + id
                    + "' is invalid; use 1-64 characters from A-Z a-z 0-9 . _ - starting with a letter or digit";
        }
        return null;
    }

    public static String require(String what, String id) {
        String p = problem(what, id);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return id;
    }
}
