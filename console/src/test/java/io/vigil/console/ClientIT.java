package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.topic.TopicSetup;
import io.vigil.api.topic.VigilTopics;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.console.client.ApiClient;
import io.vigil.console.client.ApiException;
import io.vigil.console.client.api.AlertsApi;
import io.vigil.console.client.api.AuditApi;
import io.vigil.console.client.api.CamerasApi;
import io.vigil.console.client.api.PeopleApi;
import io.vigil.console.client.model.Camera;
import io.vigil.console.client.model.CameraBody;
import io.vigil.console.client.model.Enrolment;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A client generated from the committed OpenAPI document (openapi-generator's Java client, at build time) calls the
 * running console on a real broker: the document describes the API that is served, closely enough for generated code
 * to use it. The models are faked here (a fixed reading per photo); ConsoleIT runs the real ones.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class ClientIT {

    @Test
    void theDocumentValidates() throws Exception {
        String doc;
        try (InputStream in = ClientIT.class.getResourceAsStream("/io/vigil/console/openapi.json")) {
            doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SwaggerParseResult parsed = new OpenAPIParser().readContents(doc, null, null);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/v1/cameras", "/api/v1/people", "/api/v1/alerts");
    }

    @Test
    void theGeneratedClientCallsEveryKindOfRoute(EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
        String operator = Tokens.mint();
        String admin = Tokens.mint();
        Path tokens = dir.resolve("tokens");
        Files.write(
                tokens, List.of(Tokens.line("otto", Role.OPERATOR, operator), Tokens.line("ada", Role.ADMIN, admin)));
        ConfigReader reader = new ConfigReader(Map.of("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers()));
        CommonConfig common = CommonConfig.from(reader);
        VigilTopics topics = new VigilTopics("client.");
        try (Admin a = KafkaClients.admin(common)) {
            new TopicSetup(a, (short) 1).ensure(topics.specs());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, registry);
                ConsoleStage console = new ConsoleStage(
                        common,
                        ConsoleConfig.DEFAULT.withTokens(tokens),
                        topics,
                        new SimpleMeterRegistry(),
                        http,
                        new FixedReader(),
                        Clock.systemUTC())) {
            console.start();
            await().atMost(Duration.ofSeconds(30)).until(console::ready);
            ApiClient client = new ApiClient();
            client.updateBaseUri("http://127.0.0.1:" + http.port());
            client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + operator));

            CamerasApi cameras = new CamerasApi(client);
            Camera created = cameras.createCamera(new CameraBody()
                    .id("gate")
                    .url("rtsp://cam:pw-123@10.0.0.5/s")
                    .fps(new BigDecimal("2.5")));
            assertThat(created.getUrl()).isEqualTo("rtsp://***@10.0.0.5/s");
            assertThat(created.getState()).isEqualTo(Camera.StateEnum.UNKNOWN);
            assertThat(cameras.listCameras().getCameras())
                    .extracting(Camera::getId)
                    .containsExactly("gate");
            assertThat(cameras.changeCamera(
                                    "gate",
                                    new CameraBody().url("rtsp://10.0.0.5/s").maxWidth(640))
                            .getMaxWidth())
                    .isEqualTo(640);
            ApiException bad = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ApiException.class,
                    () -> cameras.createCamera(new CameraBody().id("a/b").url("rtsp://h/s")));
            assertThat(bad.getCode()).isEqualTo(400);
            assertThat(bad.getResponseBody()).contains("camera id 'a/b' is invalid");
            assertThatThrownBy(() -> cameras.getCamera("nope"))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

            PeopleApi people = new PeopleApi(client);
            File photo = Files.write(dir.resolve("face.jpg"), FixedReader.JPEG).toFile();
            Enrolment enrolled = people.enrolPerson("ada_l", List.of(photo, photo), "Ada L", new BigDecimal("0.5"));
            assertThat(enrolled.getPerson().getEmbeddings()).isEqualTo(2);
            assertThat(enrolled.getPhotos()).hasSize(2);
            assertThat(people.listPeople(0, 10, null).getTotal()).isEqualTo(1);
            assertThat(people.getPerson("ada_l").getName()).isEqualTo("Ada L");
            assertThat(people.checkPhotos(List.of(photo)).getPhotos().get(0).getDuplicates())
                    .extracting(d -> d.getPersonId())
                    .containsExactly("ada_l");
            File kept = people.personPhoto("ada_l", 0);
            assertThat(Files.readAllBytes(kept.toPath())).isEqualTo(FixedReader.JPEG);

            assertThat(new AlertsApi(client)
                            .searchAlerts(null, "ada_l", null, null, 10)
                            .getAlerts())
                    .isEmpty();
            people.removePerson("ada_l");
            cameras.removeCamera("gate");
            assertThat(cameras.listCameras().getCameras()).isEmpty();

            assertThatThrownBy(() -> new AuditApi(client).audit(10))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
            client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + admin));
            assertThat(new AuditApi(client).audit(10).getEvents())
                    .extracting(e -> e.getAction().getValue() + " " + e.getTarget())
                    .containsExactly(
                            "camera.delete gate",
                            "person.delete ada_l",
                            "person.enrol ada_l",
                            "camera.put gate",
                            "camera.put gate");
        }
    }

    /** A stand-in for the models: every photo holds one face, the same unit vector. */
    static final class FixedReader implements PhotoReader {
        static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9};

        @Override
        public Reading read(byte[] photo) {
            float[] e = new float[8];
            e[0] = 1;
            return new Reading(1, 120, 500, e, JPEG, null);
        }

        @Override
        public String model() {
            return EmbedderModel.BUNDLED;
        }

        @Override
        public void close() {}
    }
}
