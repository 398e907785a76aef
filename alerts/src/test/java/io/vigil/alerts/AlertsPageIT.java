package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The live alerts page in a real browser: Debian's headless Chromium, driven over the DevTools protocol. */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsPageIT {

    @Test
    void afterLoginAnAlertPublishedToTheTopicAppearsOnThePageWithItsThumbnail(EmbeddedKafka kafka) throws Exception {
        assertThat(Browser.CHROMIUM)
                .as("Debian chromium (scripts/setup-debian.sh installs it)")
                .isExecutable();
        AlertsIT.Env env = AlertsIT.env(kafka, "page.");
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http);
                Browser browser = new Browser(Files.createTempDirectory(Path.of("target"), "chromium"))) {
            stage.start();
            Alert before = AlertsIT.alert("gate", "p-before", 1);
            env.publish(before);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !stage.hub().recent(10, null, null).isEmpty());

            String base = "http://127.0.0.1:" + http.port();
            browser.navigate(base + "/");
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("location.pathname").equals("/login"));
            browser.eval("document.getElementById('token').value = 'wrong-token-0123456789'; "
                    + "document.querySelector('form.login').submit(); 'sent'");
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("String(document.getElementById('failed') !== null "
                                    + "&& !document.getElementById('failed').hidden)")
                            .equals("true"));
            browser.eval("document.getElementById('token').value = '" + AlertsIT.TOKEN + "'; "
                    + "document.querySelector('form.login').submit(); 'sent'");
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("document.getElementById('status').textContent")
                            .equals("live"));
            await().atMost(Browser.settle()).until(() -> browser.dom().contains(before.alertId()));

            assertThat(browser.eval("location.href")).as("no token in any URL").isEqualTo(base + "/");
            assertThat(browser.eval("document.cookie"))
                    .as("the session cookie is HttpOnly")
                    .isEmpty();
            assertThat(browser.eval("performance.getEntriesByType('resource').map(e => e.name).join(' ')"))
                    .doesNotContain(AlertsIT.TOKEN);

            Alert live = AlertsEvidenceIT.alertWithFrame(env, "lobby", "p-live", 2);
            await().atMost(Browser.settle()).until(() -> browser.dom().contains(live.alertId()));

            String first = browser.eval("document.querySelector('li.alert').dataset.alertId");
            assertThat(first).as("newest first").isEqualTo(live.alertId());
            String src = browser.eval("document.querySelector('li.alert img').getAttribute('src')");
            assertThat(src)
                    .isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(AlertsIT.thumbnail()));
            assertThat(browser.eval("document.querySelector('li.alert img').naturalWidth"))
                    .as("the thumbnail decodes")
                    .isEqualTo("80");
            assertThat(browser.eval("document.querySelector('li.alert').innerText"))
                    .contains("Person p-live", "camera lobby", "similarity 0.700");
            assertThat(browser.eval("document.querySelectorAll('li.alert').length"))
                    .isEqualTo("2");

            // opening the alert shows the whole frame it was raised on, the face boxed
            browser.eval("document.querySelector('li.alert').click(); 'opened'");
            await().atMost(Browser.settle())
                    .until(() -> browser.eval("String(document.getElementById('frame').open"
                                    + " && document.getElementById('frame-img').naturalWidth)")
                            .equals("640"));
            assertThat(browser.eval("document.getElementById('frame-img').getAttribute('src')"))
                    .isEqualTo("/alerts/" + live.alertId() + "/frame");
            Path frameShot = Path.of("target", "alerts-page-frame.png").toAbsolutePath();
            browser.screenshot(frameShot);
            browser.eval("document.getElementById('frame').close(); 'closed'");

            Path shot = Path.of("target", "alerts-page.png").toAbsolutePath();
            browser.screenshot(shot);
            assertThat(Files.size(shot)).isGreaterThan(5_000);
            System.out.println("screenshot: " + shot);
        }
    }
}
