package io.vigil.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vigil.api.Text;

import java.util.Set;

/**
 * One change to cameras or people, as the {@code audit} topic keeps it (key = the camera or person id): who made it,
 * through what, what it was, and when. Values never hold a secret: camera URLs are masked before they get here.
 *
 * @param atMs    when, epoch milliseconds
 * @param actor   who: the API token's name, or {@code user@host} for the CLI
 * @param role    the actor's role ({@code viewer}, {@code operator}, {@code admin}; {@code cli} for the command line)
 * @param via     {@code api} or {@code cli}
 * @param action  one of {@link #ACTIONS}
 * @param target  the camera or person id
 * @param detail  a short description of the change (masked URL, name, photo count), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        long atMs, String actor, String role, String via, String action, String target, String detail) {
    public static final String CAMERA_PUT = "camera.put";
    public static final String CAMERA_DELETE = "camera.delete";
    public static final String PERSON_ENROL = "person.enrol";
    public static final String PERSON_DELETE = "person.delete";
    public static final String PERSON_REENROL = "person.reenrol";
    public static final Set<String> ACTIONS =
            Set.of(CAMERA_PUT, CAMERA_DELETE, PERSON_ENROL, PERSON_DELETE, PERSON_REENROL);
    /** Longest actor, role and via kept; longer values are cut. */
    public static final int MAX_NAME = 128;
    /** Longest detail kept; longer details are cut. */
    public static final int MAX_DETAIL = 512;

    public AuditEvent {
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("unknown audit action '" + Text.cut(action, 40) + "'; expected one of "
                    + String.join(", ", ACTIONS.stream().sorted().toList()));
        }
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("an audit event names its target");
        }
        actor = Text.cut(actor == null ? "unknown" : actor, MAX_NAME);
        role = Text.cut(role == null ? "unknown" : role, MAX_NAME);
        via = Text.cut(via == null ? "unknown" : via, MAX_NAME);
        target = Text.cut(target, MAX_NAME);
        detail = detail == null ? null : Text.cut(detail, MAX_DETAIL);
    }
}
