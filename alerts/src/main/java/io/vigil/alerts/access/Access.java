package io.vigil.alerts.access;

import io.vigil.runtime.http.HttpCall;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Who may see alerts. With a token configured, a request is admitted when it carries the token in
 * {@code Authorization: Bearer} (scripts, curl) or a session cookie that a login with the token set (the page;
 * EventSource sends cookies, never custom headers). A session is {@code expiry.HMAC(token, expiry)}: any replica with
 * the same token accepts it, none keeps state, and changing the token ends every session. Without a token (only
 * allowed on loopback) everyone is admitted.
 */
public final class Access {
    public static final String COOKIE = "vigil_session";
    private static final String HMAC = "HmacSHA256";
    private final byte[] token;
    private final Duration ttl;
    private final Clock clock;

    public Access(String token, Duration ttl, Clock clock) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Whether no token is configured, so everyone is admitted. */
    public boolean open() {
        return token == null;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Whether the call carries the token as a bearer header or a valid, unexpired session cookie. */
    public boolean admits(HttpCall call) {
        if (open()) {
            return true;
        }
        String auth = call.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return isToken(auth.substring(7).trim());
        }
        String session = call.cookie(COOKIE);
        return session != null && validSession(session);
    }

    /** Whether the call is admitted; if not, answers it with 401 saying how to be. */
    public boolean admitOrRefuse(HttpCall call) throws IOException {
        if (admits(call)) {
            return true;
        }
        call.responseHeader("WWW-Authenticate", "Bearer").responseHeader("Cache-Control", "no-store");
        call.error(
                401, "log in at /login, or send Authorization: Bearer TOKEN (the alerts service's VIGIL_ALERTS_TOKEN)");
        return false;
    }

    /** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
    public boolean isToken(String given) {
        return !open() && given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token);
    }

    /** A new session that expires after the TTL. */
    public String newSession() {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return expires + "." + mac(expires);
    }

    boolean validSession(String session) {
        int dot = session.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(session.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        return expires > clock.instant().getEpochSecond()
                && MessageDigest.isEqual(
                        session.substring(dot + 1).getBytes(StandardCharsets.US_ASCII),
                        mac(expires).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(token, HMAC));
            byte[] sig = mac.doFinal(("vigil-session:" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
