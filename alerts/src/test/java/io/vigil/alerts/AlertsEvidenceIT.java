package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.FaceBox;
import io.vigil.api.frame.Frame;
import io.vigil.api.frame.FrameRef;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** An alert's whole frame, boxed, read back from the frames topic while it is there, and a clear 410 after. */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsEvidenceIT {
    static final FaceBox BOX = new FaceBox(200, 120, 360, 320);

    /** A 640x480 grey frame with a darker square where the face would be. */
    static byte[] frameJpeg() throws Exception {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, 640, 480);
        g.setColor(new Color(90, 90, 90));
        g.fillRect(220, 140, 120, 160);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /** Publishes a frame and an alert raised on it that says where it is; returns the alert. */
    static Alert alertWithFrame(AlertsIT.Env env, String camera, String person, long seq) throws Exception {
        RecordMetadata where;
        try (KafkaProducer<String, Frame> p = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrap()),
                env.topics().frames.keySerde().serializer(),
                env.topics().frames.valueSerde().serializer())) {
            Instant t = Instant.now();
            where = p.send(new ProducerRecord<>(
                            env.topics().frames.name(),
                            camera,
                            new Frame(camera, seq, t.toEpochMilli(), 640, 480, frameJpeg())))
                    .get();
            Alert alert = withFrame(
                    AlertsIT.alert(camera, person, seq),
                    new FrameRef(where.topic(), where.partition(), where.offset()));
            env.publish(alert);
            return alert;
        }
    }

    /** The alert with the test's face box and the given frame place. */
    static Alert withFrame(Alert base, FrameRef frame) {
        return new Alert(
                base.schemaVersion(),
                base.alertId(),
                base.cameraId(),
                base.personId(),
                base.displayName(),
                base.similarity(),
                base.threshold(),
                base.capturedAt(),
                base.matchedAt(),
                base.latencyMs(),
                base.frameSequence(),
                BOX,
                base.thumbnail(),
                frame,
                null);
    }

    @Test
    void anAlertsFrameComesBackBoxedWhileRetainedAndGone410After(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "ev1.");
        HttpClient client = HttpClient.newHttpClient();
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            Alert alert = alertWithFrame(env, "gate", "p-ev", 7);
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.hub().holds(alert.alertId()));
            String url = "http://127.0.0.1:" + http.port() + "/alerts/" + alert.alertId() + "/frame";

            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(url)).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(401);
            HttpResponse<byte[]> r = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + AlertsIT.TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertThat(img.getWidth()).isEqualTo(640);
            assertThat(img.getHeight()).isEqualTo(480);
            Color edge = new Color(img.getRGB(280, 120));
            assertThat(edge.getRed() - edge.getGreen())
                    .as("the box's top edge is drawn red (%s)", edge)
                    .isGreaterThan(80);
            Color inside = new Color(img.getRGB(280, 220));
            assertThat(Math.abs(inside.getRed() - inside.getGreen()))
                    .as("inside the box the frame is untouched")
                    .isLessThan(20);

            String other = "http://127.0.0.1:" + http.port() + "/alerts/4d2b9e7f-0000-4000-8000-000000000000/frame";
            assertThat(client.send(
                                    HttpRequest.newBuilder(URI.create(other))
                                            .header("Authorization", "Bearer " + AlertsIT.TOKEN)
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(404);

            // an alert naming another topic as its frame's: the service reads frames only
            Alert elsewhere = withFrame(
                    AlertsIT.alert("gate", "p-other", 8),
                    new FrameRef(env.topics().watchlist.name(), 0, 0));
            env.publish(elsewhere);
            await().atMost(Duration.ofSeconds(30)).until(() -> stage.hub().holds(elsewhere.alertId()));
            HttpResponse<String> refused = client.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + http.port() + "/alerts/" + elsewhere.alertId() + "/frame"))
                            .header("Authorization", "Bearer " + AlertsIT.TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).contains("not on this deployment's frames topic");

            // retention passes: the broker deletes the frame's record
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                FrameRef ref = alert.frame();
                admin.deleteRecords(Map.of(
                                new TopicPartition(ref.topic(), ref.partition()),
                                RecordsToDelete.beforeOffset(ref.offset() + 1)))
                        .all()
                        .get();
            }
            HttpResponse<String> gone = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + AlertsIT.TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.body()).contains("VIGIL_RETENTION_FRAMES");
        }
    }
}
