package io.vigil.alerts.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

class AccessTest {
    private static final String TOKEN = "4d2b9e7f1a3c6085e2d1";
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    private static Access at(String token, Instant now) {
        return new Access(token, Duration.ofHours(12), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionIsValidUntilItExpires() {
        String session = at(TOKEN, NOW).newSession();
        assertThat(at(TOKEN, NOW.plus(Duration.ofHours(11))).validSession(session))
                .isTrue();
        assertThat(at(TOKEN, NOW.plus(Duration.ofHours(12))).validSession(session))
                .isFalse();
    }

    @Test
    void aForgedOrAlteredSessionIsRefused() {
        Access access = at(TOKEN, NOW);
        String session = access.newSession();
        String expiry = session.substring(0, session.indexOf('.'));
        String mac = session.substring(session.indexOf('.') + 1);
        long later = Long.parseLong(expiry) + 86_400;
        assertThat(access.validSession(later + "." + mac)).as("extended expiry").isFalse();
        assertThat(access.validSession(expiry + "." + mac.substring(1) + "A"))
                .as("altered MAC")
                .isFalse();
        assertThat(access.validSession(expiry)).isFalse();
        assertThat(access.validSession("." + mac)).isFalse();
        assertThat(access.validSession("x." + mac)).isFalse();
        assertThat(access.validSession("")).isFalse();
    }

    @Test
    void changingTheTokenEndsEverySession() {
        String session = at(TOKEN, NOW).newSession();
        assertThat(at("7e3a1c9b5d2f4086a1b3", NOW).validSession(session)).isFalse();
    }

    @Test
    void onlyTheExactTokenMatches() {
        Access access = at(TOKEN, NOW);
        assertThat(access.isToken(TOKEN)).isTrue();
        assertThat(access.isToken(TOKEN + "0")).isFalse();
        assertThat(access.isToken(TOKEN.substring(1))).isFalse();
        assertThat(access.isToken(null)).isFalse();
        assertThat(at(null, NOW).open()).isTrue();
        assertThat(at(null, NOW).isToken("")).isFalse();
    }
}
