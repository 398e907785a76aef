package io.vigil.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.api.camera.CameraSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

class CameraPolicyTest {
    private static CameraSpec cam(String url) {
        return new CameraSpec("c1", url, 5, 0, false, Map.of());
    }

    @Test
    void refusesLoopbackInEveryFormTheCLibraryReads() {
        CameraPolicy strict = CameraPolicy.strict();
        int parsed = 0;
        for (String host : new String[] {
            "127.0.0.1",
            "127.1",
            "2130706433",
            "0x7f.1",
            "0177.0.0.1",
            "0x7f000001",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "0.0.0.0",
            "localhost",
            "LOCALHOST",
            "cam.localhost",
            "[::]"
        }) {
            String url = "rtsp://" + host + ":554/s";
            // either the camera contract already refuses the URL (no host it can read), or the policy does
            if (CameraSpec.problems("c1", url, 5, 0).isEmpty()) {
                parsed++;
                assertThat(strict.problem(cam(url))).as(host).contains("loopback");
            }
        }
        assertThat(parsed).isGreaterThanOrEqualTo(9);
    }

    @Test
    void refusesLinkLocalAndCloudMetadataButNotPrivateNetworks() {
        CameraPolicy strict = CameraPolicy.strict();
        assertThat(strict.problem(cam("http://169.254.169.254/latest/meta-data/")))
                .contains("metadata");
        assertThat(strict.problem(cam("http://metadata.google.internal/computeMetadata/v1/")))
                .contains("metadata");
        assertThat(strict.problem(cam("http://[fd00:ec2::254]/latest/"))).contains("metadata");
        assertThat(strict.problem(cam("rtsp://169.254.10.20/s"))).contains("link-local");
        assertThat(strict.problem(cam("rtsp://[fe80::1]/s"))).contains("link-local");
        assertThat(strict.problem(cam("rtsp://224.0.0.1/s"))).contains("multicast");
        for (String host :
                new String[] {"10.0.0.5", "192.168.1.64", "172.16.3.3", "cam-7.example.net", "203.0.113.9"}) {
            assertThat(strict.problem(cam("rtsp://" + host + "/s"))).as(host).isNull();
        }
    }

    @Test
    void allowsWhatTheSettingNames() {
        CameraPolicy p = new CameraPolicy(EnumSet.of(CameraPolicy.Allow.LOOPBACK, CameraPolicy.Allow.FILE));
        assertThat(p.problem(cam("rtsp://127.0.0.1/s"))).isNull();
        assertThat(p.problem(cam("file:///tmp/v.mp4"))).isNull();
        assertThat(p.problem(cam("http://169.254.169.254/"))).contains("metadata");
        assertThat(CameraPolicy.strict().problem(cam("file:///tmp/v.mp4"))).contains("local file");
        assertThat(new CameraPolicy(Set.of(CameraPolicy.Allow.METADATA)).problem(cam("http://169.254.169.254/")))
                .isNull();
    }

    @Test
    void refusesNumericHostsItCannotRead() {
        assertThat(CameraPolicy.literal("0x1.0x2.0x3.0x4.0x5")).isNull();
        assertThat(CameraPolicy.literal("0x7f.1").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(CameraPolicy.literal("017700000001").getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(CameraPolicy.inetAton("1.2.3.256")).isEqualTo(-1);
        assertThat(CameraPolicy.inetAton("10.1")).isEqualTo((10L << 24) | 1);
    }

    @Test
    void checksEveryResolvedAddressBeforeConnecting() {
        assertThat(CameraPolicy.strict().connectProblem(cam("rtsp://localhost/s")))
                .contains("loopback");
        assertThat(new CameraPolicy(EnumSet.of(CameraPolicy.Allow.FILE))
                        .connectProblem(cam("file:///nonexistent/v.mp4")))
                .contains("cannot read");
    }

    @Test
    void vigilsSafetyOptionsComeLastAndWin() {
        CameraSpec spec = new CameraSpec("c1", "rtsp://10.0.0.5/s", 5, 0, false, Map.of("rtsp_flags", "prefer_tcp"));
        Map<String, String> o = FfmpegSource.safeOptions(spec, Duration.ofSeconds(5));
        assertThat(o)
                .containsEntry("rtsp_flags", "prefer_tcp")
                .containsEntry("rtsp_transport", "tcp")
                .containsEntry("protocol_whitelist", "rtsp,tcp")
                .containsEntry("timeout", "5000000");
        assertThat(o.keySet()).containsSubsequence("rtsp_flags", "rtsp_transport", "protocol_whitelist", "timeout");
        assertThat(FfmpegSource.safeOptions(
                        new CameraSpec("f", "file:///tmp/a.mp4", 5, 0, false, Map.of()), Duration.ofSeconds(5)))
                .containsEntry("protocol_whitelist", "file")
                .doesNotContainKey("timeout");
    }
}
