package io.vigil.console.access;

/**
 * Who made a request: the name of their API token and its role.
 *
 * @param name the token's name in the tokens file (who, in the audit log)
 * @param role what it may do
 */
public record Caller(String name, Role role) {
    /** Everyone, when no tokens file is configured (allowed only on loopback). */
    public static final Caller LOCAL = new Caller("local", Role.ADMIN);
}
