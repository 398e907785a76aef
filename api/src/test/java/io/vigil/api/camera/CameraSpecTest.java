package io.vigil.api.camera;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CameraSpecTest {

    @Test
    void acceptsEverySupportedScheme() {
        for (String url : new String[]{"rtsp://h/s", "rtsps://h:322/s", "http://h/v.mjpg", "https://h/x", "file:///tmp/a.mp4"}) {
            assertThat(new CameraSpec("c1", url, 5, 0, false, Map.of()).url()).isEqualTo(url);
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThat(CameraSpec.problems("bad id!", "ftp://h/x", 60, 10)).hasSize(4)
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
    void masksPasswordsButNotUsers() {
        assertThat(CameraSpec.maskPassword("rtsp://admin:hunter2@10.1.1.1:554/s")).isEqualTo("rtsp://admin:***@10.1.1.1:554/s");
        assertThat(CameraSpec.maskPassword("rtsp://admin@10.1.1.1/s")).isEqualTo("rtsp://admin@10.1.1.1/s");
        assertThat(CameraSpec.maskPassword("rtsp://10.1.1.1/s@x")).isEqualTo("rtsp://10.1.1.1/s@x");
    }

    @Test
    void neverEchoesThePasswordInErrors() {
        assertThatThrownBy(() -> new CameraSpec("c1", "ftp://u:hunter2@h/x", 5, 0, false, null))
                .hasMessageNotContaining("hunter2");
    }
}
