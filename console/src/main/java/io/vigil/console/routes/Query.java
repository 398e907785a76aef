package io.vigil.console.routes;

import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpRefusal;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Query parameters, checked: a bad one is a 400 naming it and what it takes. */
final class Query {
    private Query() {}

    static int integer(HttpCall call, String name, int def, int min, int max) {
        String s = call.query(name);
        if (s == null || s.isEmpty()) {
            return def;
        }
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new HttpRefusal(400, "query parameter " + name + " must be an integer from " + min + " to " + max);
    }

    /** An instant given as ISO-8601 ({@code 2026-12-02T10:00:00Z}) or epoch milliseconds, or {@code def}. */
    static Instant instant(HttpCall call, String name, Instant def) {
        String s = call.query(name);
        if (s == null || s.isEmpty()) {
            return def;
        }
        try {
            return s.chars().allMatch(Character::isDigit) && s.length() <= 15
                    ? Instant.ofEpochMilli(Long.parseLong(s))
                    : Instant.parse(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new HttpRefusal(
                    400,
                    "query parameter " + name + " must be an ISO-8601 instant such as 2026-12-02T10:00:00Z, or"
                            + " epoch milliseconds");
        }
    }
}
