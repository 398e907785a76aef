package io.vigil.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksUserInfoWhetherItHasAPasswordOrNot() {
        assertThat(Secrets.maskUrl("rtsp://admin:hunter2@10.1.1.1:554/s")).isEqualTo("rtsp://***@10.1.1.1:554/s");
        assertThat(Secrets.maskUrl("rtsp://tok3n@10.1.1.1/s")).isEqualTo("rtsp://***@10.1.1.1/s");
        assertThat(Secrets.maskUrl("rtsp://a:b@c@10.1.1.1/s")).isEqualTo("rtsp://***@10.1.1.1/s");
    }

    @Test
    void leavesAtSignsOutsideTheAuthorityAlone() {
        assertThat(Secrets.maskUrl("rtsp://10.1.1.1/s@x")).isEqualTo("rtsp://10.1.1.1/s@x");
        assertThat(Secrets.maskUrl("rtsp://10.1.1.1/s?q=a@b")).isEqualTo("rtsp://10.1.1.1/s?q=a@b");
    }

    @Test
    void masksSecretLookingQueryValuesOnly() {
        assertThat(Secrets.maskUrl("https://cam/x.mjpg?user=bob&password=pw&Token=t&X-Amz-Signature=s&channel=2#f"))
                .isEqualTo("https://cam/x.mjpg?user=bob&password=***&Token=***&X-Amz-Signature=***&channel=2#f");
        assertThat(Secrets.maskUrl("rtsp://cam/live?apikey=k;session=s"))
                .isEqualTo("rtsp://cam/live?apikey=***&session=***");
    }

    @Test
    void masksEveryUrlInsideFreeText() {
        String ffmpeg =
                "avformat_open_input() error -111: Could not open input \"rtsp://admin:Sup3rSecret@10.0.0.9:554/x"
                        + "?auth=abc\". (Connection refused) then http://u:p@h/y";
        String masked = Secrets.maskText(ffmpeg);
        assertThat(masked)
                .doesNotContain("Sup3rSecret")
                .doesNotContain("abc")
                .doesNotContain("u:p")
                .contains("rtsp://***@10.0.0.9:554/x?auth=***")
                .contains("http://***@h/y")
                .contains("Connection refused");
    }

    @Test
    void leavesTextWithoutSecretsUnchanged() {
        String t = "stalled: no data for 2104 ms (VIGIL_INGEST_TIMEOUT) at rtsp://10.0.0.9/x";
        assertThat(Secrets.maskText(t)).isEqualTo(t);
        assertThat(Secrets.maskText(null)).isNull();
        assertThat(Secrets.maskUrl(null)).isNull();
    }
}
