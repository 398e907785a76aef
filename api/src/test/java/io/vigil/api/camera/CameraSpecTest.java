package io.vigil.api.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.Map;

class CameraSpecTest {

    @Test
    void acceptsEverySupportedScheme() {
        for (String url :
                new String[] {"rtsp://h/s", "rtsps://h:322/s", "http://h/v.mjpg", "https://h/x", "file:///tmp/a.mp4"}) {
            assertThat(new CameraSpec("c1", url, 5, 0, false, Map.of()).url()).isEqualTo(url);
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(CameraSpec.problems("bad id!", "ftp://h/x", 60, 10))
                .hasSize(4)
                .anyMatch(p -> p.contains("camera id 'bad id!'"))
                .anyMatch(p -> p.contains("scheme 'ftp'"))
                .anyMatch(p -> p.contains("fps 60.0 is out of range"))
                .anyMatch(p -> p.contains("max width 10"));
    }

    @Test
    void rejectsAUrlWithoutHost() {
        assertThatThrownBy(() -> new CameraSpec("c1", "rtsp:///path", 5, 0, false, null))
                .hasMessageContaining("no host");
    }

    @Test
    void masksTheWholeUserInfoAndSecretQueryValues() {
        assertThat(new CameraSpec("c1", "rtsp://admin:hunter2@10.1.1.1:554/s?token=abc&ch=1", 5, 0, false, null)
                        .maskedUrl())
                .isEqualTo("rtsp://***@10.1.1.1:554/s?token=***&ch=1");
    }

    @Test
    void refusesFileUrlsThatAreNotPlainPaths() {
        for (String url : new String[] {
            "file:tcp://10.0.0.5:6379",
            "file:unix:/var/run/docker.sock",
            "file:pipe:0",
            "file:relative.mp4",
            "file://host/share/a.mp4",
            "file:///tmp/a.mp4?x=1"
        }) {
            assertThat(CameraSpec.problems("c1", url, 5, 0))
                    .as(url)
                    .singleElement()
                    .asString()
                    .contains("file");
        }
        for (String url : new String[] {
            "file:///dev/video0", "file:///proc/self/environ", "file:///sys/x", "file:///run/docker.sock"
        }) {
            assertThat(CameraSpec.problems("c1", url, 5, 0))
                    .as(url)
                    .singleElement()
                    .asString()
                    .contains("device");
        }
        assertThat(CameraSpec.problems("c1", "file:///tmp/../dev/video0", 5, 0))
                .singleElement()
                .asString()
                .contains("..");
    }

    @Test
    void refusesUrlsWithSpacesControlCharactersOrExcessiveLength() {
        assertThat(CameraSpec.problems("c1", "rtsp://h/a b", 5, 0))
                .singleElement()
                .asString()
                .contains("printable");
        assertThat(CameraSpec.problems("c1", "rtsp://h/a\r\nX: y", 5, 0))
                .singleElement()
                .asString()
                .contains("printable");
        assertThat(CameraSpec.problems("c1", "rtsp://h/" + "a".repeat(3000), 5, 0))
                .singleElement()
                .asString()
                .contains("2048");
    }

    @Test
    void acceptsOnlyAllowlistedFfmpegOptionsWithSaneValues() {
        assertThat(new CameraSpec(
                                "c1",
                                "rtsp://h/s",
                                5,
                                0,
                                false,
                                Map.of(
                                        "rtsp_flags",
                                        "prefer_tcp",
                                        "fflags",
                                        "+nobuffer+genpts",
                                        "probesize",
                                        "500000",
                                        "user_agent",
                                        "Vigil (test)"))
                        .options())
                .hasSize(4);
        for (Map.Entry<String, String> bad : Map.of(
                        "timeout",
                        "-1",
                        "listen",
                        "1",
                        "method",
                        "POST",
                        "post_data",
                        "x",
                        "tls_verify",
                        "0",
                        "headers",
                        "X: 1",
                        "protocol_whitelist",
                        "file,tcp")
                .entrySet()) {
            assertThatThrownBy(
                            () -> new CameraSpec("c1", "rtsp://h/s", 5, 0, false, Map.of(bad.getKey(), bad.getValue())))
                    .as(bad.getKey())
                    .hasMessageContaining("'" + bad.getKey() + "' is not allowed");
        }
        assertThatThrownBy(() -> new CameraSpec("c1", "rtsp://h/s", 5, 0, false, Map.of("rtsp_flags", "listen")))
                .hasMessageContaining("rtsp_flags='listen'");
        assertThatThrownBy(() -> new CameraSpec("c1", "rtsp://h/s", 5, 0, false, Map.of("probesize", "1e99")))
                .hasMessageContaining("probesize");
        assertThatThrownBy(() -> new CameraSpec("c1", "rtsp://h/s", 5, 0, false, Map.of("user_agent", "a\r\nb")))
                .hasMessageContaining("user_agent");
    }

    @Test
    void neverEchoesThePasswordInErrors() {
        assertThatThrownBy(() -> new CameraSpec("c1", "ftp://u:hunter2@h/x", 5, 0, false, null))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new CameraSpec("c1", "ftp://hunter2@h/x", 5, 0, false, null))
                .hasMessageNotContaining("hunter2");
    }
}
