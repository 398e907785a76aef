package io.vigil.console.access;

import java.util.Locale;

/** What an API token may do; each role may do everything the ones before it may. */
public enum Role {
    /** Read cameras (with status and snapshots), people (with photos) and alerts. */
    VIEWER,
    /** Also add, change and remove cameras; enrol and remove people. */
    OPERATOR,
    /** Also read the audit log. */
    ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code s}, or null. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
