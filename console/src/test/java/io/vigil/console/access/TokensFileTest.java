package io.vigil.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

class TokensFileTest {
    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsTheTokensBefore(@TempDir Path dir) throws Exception {
        String alice = Tokens.mint();
        String bob = Tokens.mint();
        Path f = dir.resolve("tokens");
        Files.write(f, List.of(Tokens.line("alice", Role.ADMIN, alice)));
        TokensFile file = new TokensFile(f, Duration.ZERO);
        assertThat(file.get().caller(alice)).isNotNull();
        assertThat(file.get().caller(bob)).isNull();

        // bob added, alice revoked: no restart
        Files.write(f, List.of(Tokens.line("bob", Role.VIEWER, bob)));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(file.get().caller(bob)).isEqualTo(new Caller("bob", Role.VIEWER));
        assertThat(file.get().caller(alice)).isNull();

        // a broken edit is refused: bob's token still works
        Files.write(f, List.of("bob viewer not-a-digest"));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(file.get().caller(bob)).isNotNull();
    }
}
