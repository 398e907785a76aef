package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.alerts.Browser;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.ingest.sample.RtspServer;
import io.vigil.ingest.sample.SampleClip;
import io.vigil.runtime.config.ConfigReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The web console in a real browser (Debian's headless Chromium over DevTools) against the whole pipeline: a real
 * RTSP camera, the real models, a real broker. An operator logs in, adds the camera and sees it STREAMING with its
 * snapshot, enrols a person by uploading photos (one of them bad, with its feedback shown), and sees that person's
 * alert arrive.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ConsoleBrowserIT {
    static final Path SALLEY = ConsoleIT.SALLEY;

    @Test
    void anOperatorAddsACameraEnrolsSomeoneByUploadAndSeesTheirAlert(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        assertThat(Browser.CHROMIUM)
                .as("Debian chromium (scripts/setup-debian.sh installs it)")
                .isExecutable();
        String token = Tokens.mint();
        Path tokens = dir.resolve("tokens");
        Files.writeString(tokens, Tokens.line("otto", Role.OPERATOR, token) + "\n");
        Settings settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX",
                "web.",
                "VIGIL_HOME",
                dir.resolve("home").toString(),
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_INGEST_ALLOW",
                "loopback",
                "VIGIL_CONSOLE_TOKENS",
                tokens.toString())));
        Path clip = SampleClip.build(
                List.of(new SampleClip.Segment(Files.readAllBytes(SALLEY.resolve("000186_02159346.jpg")), 3)),
                640,
                480,
                10,
                dir.resolve("cam.h264"));
        try (RtspServer camera = RtspServer.start(clip, "/door", 10);
                Pipeline pipeline = Pipeline.start(settings, StageKind.ALL, false);
                Browser browser = new Browser(Files.createTempDirectory(Path.of("target"), "chromium"))) {
            String base = "http://127.0.0.1:" + pipeline.httpPort();
            browser.navigate(base + "/console/");
            await().atMost(Browser.settle()).until(() -> visible(browser, "login"));
            browser.eval("document.getElementById('token').value = 'not-the-token'; "
                    + "document.getElementById('login-form').requestSubmit(); 'sent'");
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("document.getElementById('login-error').textContent")
                            .contains("refused"));
            browser.eval("document.getElementById('token').value = '" + token + "'; "
                    + "document.getElementById('login-form').requestSubmit(); 'sent'");
            await().atMost(Browser.settle()).until(() -> visible(browser, "cameras"));
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("document.getElementById('who').textContent")
                            .equals("otto (operator)"));

            // add the camera with the form; it streams, and its snapshot shows
            browser.eval("{ const f = document.getElementById('camera-form');"
                    + "f.elements.namedItem('id').value = 'door';"
                    + "f.elements.namedItem('url').value = '" + camera.url() + "';"
                    + "f.elements.namedItem('fps').value = '4';"
                    + "f.requestSubmit(); } 'sent'");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> browser.eval(
                                    "String(document.querySelector('[data-camera=door] .state')" + "?.textContent)")
                            .equals("STREAMING"));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Integer.parseInt(browser.eval(
                                    "String(document.querySelector('[data-camera=door] img')?.naturalWidth || 0)"))
                            > 0);
            assertThat(browser.eval("document.querySelector('[data-camera=door] img').src"))
                    .startsWith("blob:");
            browser.screenshot(Path.of("target", "console-cameras.png"));

            // enrol John Salley from two photos and a landscape without a face
            browser.eval("location.hash = '#people'; 'ok'");
            await().atMost(Browser.settle()).until(() -> visible(browser, "people"));
            browser.eval("{ const f = document.getElementById('enrol-form');"
                    + "f.elements.namedItem('id').value = 'john_salley';"
                    + "f.elements.namedItem('name').value = 'John Salley'; } 'ok'");
            setFiles(
                    browser,
                    "#enrol-form input[type=file]",
                    List.of(
                            SALLEY.resolve("000179_02159509.jpg"),
                            ConsoleIT.FACES.resolve("misc/no-face-landscape.jpg"),
                            SALLEY.resolve("000183_02159543.jpg")));
            browser.eval("document.getElementById('enrol-form').requestSubmit(); 'sent'");
            await().atMost(Duration.ofSeconds(60))
                    .alias("the enrolment's answer")
                    .until(
                            () -> browser.eval("document.getElementById('enrol-error').textContent + ' | '"
                                    + " + document.getElementById('feedback').textContent"),
                            text -> text.contains("enrolled"));
            assertThat(browser.eval("document.getElementById('enrol-error').textContent"))
                    .isEqualTo("John Salley enrolled from 2 photo(s).");
            assertThat(browser.eval("document.querySelectorAll('#feedback li').length"))
                    .isEqualTo("3");
            assertThat(browser.eval("document.querySelector('#feedback li[data-index=\"1\"]').textContent"))
                    .contains("no-face-landscape.jpg", "no face found");
            assertThat(browser.eval("document.querySelector('#feedback li[data-index=\"1\"]').className"))
                    .isEqualTo("error");
            assertThat(browser.eval("document.querySelector('#feedback li[data-index=\"0\"]').textContent"))
                    .contains("face", "px", "sharpness");
            await().atMost(Browser.settle())
                    .until(() -> Integer.parseInt(browser.eval(
                                    "String(document.querySelector('[data-person=john_salley] img')?.naturalWidth"
                                            + " || 0)"))
                            > 0);

            browser.screenshot(Path.of("target", "console-people.png"));

            // the camera keeps showing him: his alert arrives on the alerts view
            browser.eval("location.hash = '#alerts'; 'ok'");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> browser.eval("String(document.querySelector('li.alert')?.innerText)")
                            .contains("John Salley"));
            assertThat(browser.eval("document.querySelector('li.alert').innerText"))
                    .contains("camera door", "similarity");
            assertThat(browser.eval("document.querySelector('li.alert img').naturalWidth"))
                    .as("the thumbnail decodes")
                    .isNotEqualTo("0");
            assertThat(browser.eval("performance.getEntriesByType('resource').map(e => e.name).join(' ')"))
                    .as("the token is in no URL")
                    .doesNotContain(token);
            assertThat(browser.eval("document.cookie")).isEmpty();
            browser.screenshot(Path.of("target", "console-alerts.png"));
        }
    }

    private static boolean visible(Browser browser, String section) throws Exception {
        return browser.eval("String(!document.getElementById('" + section + "').hidden)")
                .equals("true");
    }

    /** Puts files in a file input, as a user picking them would (DevTools' DOM.setFileInputFiles). */
    private static void setFiles(Browser browser, String selector, List<Path> files) throws Exception {
        int root = browser.call("DOM.getDocument", Map.of())
                .path("result")
                .path("root")
                .path("nodeId")
                .asInt();
        int node = browser.call("DOM.querySelector", Map.of("nodeId", root, "selector", selector))
                .path("result")
                .path("nodeId")
                .asInt();
        assertThat(node).as(selector).isPositive();
        browser.call(
                "DOM.setFileInputFiles",
                Map.of(
                        "nodeId",
                        node,
                        "files",
                        files.stream()
                                .map(p -> p.toAbsolutePath().normalize().toString())
                                .toList()));
    }
}
