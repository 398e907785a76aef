package io.vigil.console.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;

class TokensTest {
    @Test
    void aTokenIsFoundByItsDigestAndNothingElseIs() {
        String alice = Tokens.mint();
        String bob = Tokens.mint();
        Tokens tokens = Tokens.parse(
                List.of("# who", "", Tokens.line("alice", Role.OPERATOR, alice), Tokens.line("bob", Role.VIEWER, bob)),
                "tokens");
        assertThat(tokens.caller(alice)).isEqualTo(new Caller("alice", Role.OPERATOR));
        assertThat(tokens.caller(bob)).isEqualTo(new Caller("bob", Role.VIEWER));
        assertThat(tokens.caller(alice + "x")).isNull();
        assertThat(tokens.caller("")).isNull();
        assertThat(tokens.caller(null)).isNull();
        assertThat(tokens.caller("a".repeat(10_000))).isNull();
        assertThat(Tokens.line("alice", Role.OPERATOR, alice))
                .doesNotContain(alice)
                .startsWith("alice operator sha256:");
        assertThat(Tokens.mint()).hasSize(43).isNotEqualTo(Tokens.mint());
    }

    @Test
    void everyBadLineIsNamedWithItsFix() {
        String digest = "sha256:" + "ab".repeat(32);
        assertThatThrownBy(() -> Tokens.parse(
                        List.of(
                                "alice operator",
                                "bob root " + digest,
                                "carol viewer " + Tokens.mint(),
                                "dave viewer " + digest,
                                "dave admin " + digest,
                                "e/vil viewer " + digest),
                        "t"))
                .hasMessageContaining("t line 1: expected NAME ROLE sha256:HEX, found 2 fields")
                .hasMessageContaining("t line 2: unknown role; use viewer, operator or admin")
                .hasMessageContaining(
                        "t line 3: the digest must be sha256: and 64 lower-case hex digits (never the token itself)")
                .hasMessageContaining("t line 5: the name dave is used twice")
                .hasMessageContaining("t line 6: the name must be 1-64 characters");
        assertThatThrownBy(() -> Tokens.parse(List.of("# nothing"), "t")).hasMessageContaining("holds no token");
    }

    @Test
    void rolesIncludeTheOnesBelow() {
        assertThat(Role.ADMIN.allows(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.allows(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.allows(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.allows(Role.ADMIN)).isFalse();
    }
}
