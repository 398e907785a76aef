package io.vigil.api.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbedderModelTest {
    @Test
    void anIdentityIsTheModelFilesDigest() {
        assertThat(EmbedderModel.problem("model", EmbedderModel.BUNDLED)).isNull();
        assertThat(EmbedderModel.ofSha256("87AACDFE57510DB2AF90C0251DF680E8EEC88F122EE94712121D09BCAAAF3581"))
                .isEqualTo(EmbedderModel.BUNDLED);
        assertThat(EmbedderModel.effective(null)).isEqualTo(EmbedderModel.BUNDLED);
        assertThatThrownBy(() -> EmbedderModel.require("VIGIL_MATCHER_MODEL", "sha256:abc"))
                .hasMessageContaining("VIGIL_MATCHER_MODEL must be 'sha256:' and 64 lowercase hex digits");
    }

    @Test
    void aRefusalEchoesNoControlCharactersAndLittleOfALongValue() {
        String p = EmbedderModel.problem("model", "evil\r\nX-Injected: yes" + "x".repeat(500));
        assertThat(p).doesNotContain("\r").doesNotContain("\n").contains("evil??X-Injected:?yes");
        assertThat(p.length()).isLessThan(200);
    }
}
