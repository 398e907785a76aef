package io.vigil.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.face.FaceBox;
import io.vigil.api.topic.Topic;
import io.vigil.api.watchlist.EnrolmentPhotos;
import io.vigil.api.watchlist.WatchlistEntry;
import io.vigil.app.enrol.EnrolPhotoReader;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.TopicWriter;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.console.ConsoleStage;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.runtime.config.ConfigReader;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.CompactedTopicReader;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The console's API against the running service: a real broker, the real models on real photographs, a real HTTP
 * server and client. Every route, with good and bad input; a refused request writes nothing.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    static final Path FACES = Path.of("..", "inference", "src", "test", "resources", "faces");
    static final Path SALLEY = FACES.resolve("johns-dev/John_Salley");
    static final String PASSWORD = "s3cr3t-Pa55";
    static final ObjectMapper JSON = new ObjectMapper();

    static Settings settings;
    static HttpEndpoint http;
    static ConsoleStage console;
    static String viewer = Tokens.mint();
    static String operator = Tokens.mint();
    static String admin = Tokens.mint();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EmbeddedKafka kafka, @TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        Files.write(
                tokens,
                List.of(
                        "# API tokens",
                        Tokens.line("vera", Role.VIEWER, viewer),
                        Tokens.line("otto", Role.OPERATOR, operator),
                        Tokens.line("ada", Role.ADMIN, admin)));
        settings = Settings.load(new ConfigReader(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP",
                kafka.bootstrapServers(),
                "VIGIL_TOPIC_PREFIX",
                "con.",
                "VIGIL_CONSOLE_TOKENS",
                tokens.toString(),
                "VIGIL_CONSOLE_MAX_UPLOAD_BYTES",
                String.valueOf(20 << 20))));
        Pipeline.setUpTopics(settings, settings.topics());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        http = new HttpEndpoint("127.0.0.1", 0, registry);
        console = new ConsoleStage(
                settings.common(),
                settings.console(),
                settings.topics(),
                registry,
                http,
                new EnrolPhotoReader(settings.inference(), settings.console().maxPixels()),
                Clock.systemUTC());
        console.start();
        await().atMost(30, TimeUnit.SECONDS).until(console::ready);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (http != null) {
            http.close();
        }
    }

    // ---- who may do what

    @Test
    @Order(1)
    void everyApiRouteNeedsATokenAndTheRoleForIt() throws Exception {
        HttpResponse<String> none = send(request("/api/v1/cameras", null).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vigil\"");
        assertThat(error(none)).contains("Authorization: Bearer");
        assertThat(send(request("/api/v1/cameras", "not-a-token").GET()).statusCode())
                .isEqualTo(401);
        assertThat(send(request("/api/v1/cameras", viewer).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> viewerWrites =
                send(json("/api/v1/cameras", viewer, "{\"id\":\"x\",\"url\":\"rtsp://h/s\"}"));
        assertThat(viewerWrites.statusCode()).isEqualTo(403);
        assertThat(error(viewerWrites)).contains("'vera'", "viewer", "operator");
        assertThat(send(request("/api/v1/audit", operator).GET()).statusCode()).isEqualTo(403);
        assertThat(send(request("/api/v1/audit", admin).GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/v1/me", viewer).GET()).body())
                .isEqualTo("{\"name\":\"vera\",\"role\":\"viewer\"}");
        for (String route : List.of("/api/v1/people", "/api/v1/alerts", "/api/v1/cameras/x", "/api/v1/people/x")) {
            assertThat(send(request(route, null).GET()).statusCode()).as(route).isEqualTo(401);
        }
        assertThat(send(request("/api/v1/cameras", viewer).method("PATCH", HttpRequest.BodyPublishers.noBody()))
                        .statusCode())
                .isEqualTo(405);
        assertThat(cameraTopic()).as("nothing written").isEmpty();
    }

    // ---- cameras

    @Test
    @Order(2)
    void camerasAreCreatedChangedListedAndRemovedAndBadInputWritesNothing() throws Exception {
        String url = "rtsp://admin:" + PASSWORD + "@10.1.2.3:554/stream1";
        HttpResponse<String> created =
                send(json("/api/v1/cameras", operator, "{\"id\":\"door\",\"url\":\"" + url + "\",\"fps\":2}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/cameras/door");
        JsonNode door = JSON.readTree(created.body());
        assertThat(door.get("url").asText()).isEqualTo("rtsp://***@10.1.2.3:554/stream1");
        assertThat(created.body()).doesNotContain(PASSWORD);
        assertThat(cameraTopic().get("door")).isEqualTo(new CameraSpec("door", url, 2, 1280, false, Map.of()));

        // bad input: each a 4xx naming the problem, and nothing written
        Map<String, String> bad = Map.of(
                "{\"id\":\"door2\",\"url\":\"rtsp://h/s\",\"fps\":\"fast\"}", "field 'fps' must be a number",
                "{\"id\":\"door2\",\"url\":\"rtsp://h/s\",\"maxWidth\":1.5}", "field 'maxWidth' must be a whole number",
                "{\"id\":\"door2\"}", "url is missing",
                "{\"id\":\"door2\",\"url\":\"rtsp://h/s\",\"colour\":true}", "unknown field 'colour'",
                "{\"id\":\"door2\",\"url\":\"file:///etc/passwd\"}", "file URLs are for the demo",
                "{\"id\":\"../x\",\"url\":\"rtsp://h/s\"}", "camera id '../x' is invalid",
                "{\"url\":\"rtsp://h/s\"}", "camera id is missing",
                "{\"id\":\"door2\",\"url\":\"rtsp://h/s\",\"fps\":99}", "fps 99.0 is out of range",
                "[1,2]", "the body must be a JSON object",
                "{\"id\":\"door2\",", "not valid JSON");
        for (Map.Entry<String, String> b : bad.entrySet()) {
            HttpResponse<String> r = send(json("/api/v1/cameras", operator, b.getKey()));
            assertThat(r.statusCode()).as(b.getKey()).isEqualTo(400);
            assertThat(error(r)).as(b.getKey()).contains(b.getValue());
        }
        HttpResponse<String> notJson = send(request("/api/v1/cameras", operator)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("id=door2")));
        assertThat(notJson.statusCode()).isEqualTo(415);
        HttpResponse<String> huge = send(json(
                "/api/v1/cameras", operator, "{\"id\":\"door2\",\"url\":\"rtsp://h/" + "a".repeat(200_000) + "\"}"));
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> twice =
                send(json("/api/v1/cameras", operator, "{\"id\":\"door\",\"url\":\"rtsp://h/s\"}"));
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(cameraTopic().keySet()).as("only the good camera").containsExactly("door");

        HttpResponse<String> changed =
                send(json("/api/v1/cameras/door", operator, "{\"url\":\"" + url + "\",\"fps\":4}")
                        .method("PUT", HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"fps\":4}")));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(cameraTopic().get("door").fps()).isEqualTo(4);
        HttpResponse<String> renamed = send(json("/api/v1/cameras/door", operator, "")
                .method("PUT", HttpRequest.BodyPublishers.ofString("{\"id\":\"porch\",\"url\":\"rtsp://h/s\"}")));
        assertThat(renamed.statusCode()).isEqualTo(400);
        assertThat(error(renamed)).contains("cannot change");
        HttpResponse<String> unknown = send(json("/api/v1/cameras/nope", operator, "")
                .method("PUT", HttpRequest.BodyPublishers.ofString("{\"url\":\"rtsp://h/s\"}")));
        assertThat(unknown.statusCode()).isEqualTo(404);

        send(json("/api/v1/cameras", operator, "{\"id\":\"yard\",\"url\":\"rtsp://10.1.2.4/s\"}"));
        JsonNode list =
                JSON.readTree(send(request("/api/v1/cameras", viewer).GET()).body());
        assertThat(list.get("cameras")).hasSize(2);
        assertThat(list.get("cameras").get(0).get("id").asText()).isEqualTo("door");
        assertThat(list.get("cameras").get(0).get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(list.toString()).doesNotContain(PASSWORD);

        HttpResponse<String> snapshot =
                send(request("/api/v1/cameras/door/snapshot", viewer).GET());
        assertThat(snapshot.statusCode()).isEqualTo(404);
        assertThat(error(snapshot)).contains("no recent frame");

        assertThat(send(request("/api/v1/cameras/yard", operator).DELETE()).statusCode())
                .isEqualTo(204);
        assertThat(send(request("/api/v1/cameras/yard", operator).DELETE()).statusCode())
                .isEqualTo(404);
        assertThat(send(request("/api/v1/cameras/yard", viewer).GET()).statusCode())
                .isEqualTo(404);
        assertThat(cameraTopic().keySet()).containsExactly("door");
    }

    @Test
    @Order(3)
    void aSnapshotIsTheCamerasLatestFrame() throws Exception {
        byte[] older = Files.readAllBytes(SALLEY.resolve("000179_02159509.jpg"));
        byte[] newest = Files.readAllBytes(SALLEY.resolve("000183_02159543.jpg"));
        TopicWriter.write(
                settings,
                settings.topics().frames,
                "door",
                new io.vigil.api.frame.Frame("door", 1, 1000, 250, 250, older));
        TopicWriter.write(
                settings,
                settings.topics().frames,
                "other",
                new io.vigil.api.frame.Frame("other", 1, 1500, 250, 250, older));
        TopicWriter.write(
                settings,
                settings.topics().frames,
                "door",
                new io.vigil.api.frame.Frame("door", 2, 2000, 250, 250, newest));
        HttpResponse<byte[]> r = CLIENT.send(
                request("/api/v1/cameras/door/snapshot", viewer).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(r.body()).isEqualTo(newest);
        assertThat(r.headers().firstValue("X-Captured-At-Ms")).hasValue("2000");
    }

    // ---- people

    @Test
    @Order(4)
    void aPersonIsEnrolledFromTheUsablePhotosWithFeedbackOnEach() throws Exception {
        byte[] corrupt = new byte[2000];
        new java.util.Random(3).nextBytes(corrupt);
        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(SALLEY.resolve("000186_02159346.jpg")), 3000);
        Multipart upload = new Multipart()
                .field("id", "salley")
                .field("name", "John Salley")
                .field("threshold", "0.45")
                .field("meta.team", "pistons")
                .file("photo", "a.jpg", Files.readAllBytes(SALLEY.resolve("000179_02159509.jpg")))
                .file("photo", "b.jpg", Files.readAllBytes(SALLEY.resolve("000183_02159543.jpg")))
                .file("photo", "landscape.jpg", Files.readAllBytes(FACES.resolve("misc/no-face-landscape.jpg")))
                .file("photo", "group.png", Files.readAllBytes(FACES.resolve("misc/1280px-Solvay_conference_1927.png")))
                .file("photo", "noise.jpg", corrupt)
                .file("photo", "cut.jpg", truncated);
        HttpResponse<String> r = send(upload.post("/api/v1/people", operator));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(r.body());
        JsonNode photos = body.get("photos");
        assertThat(photos).hasSize(6);
        assertThat(photos.get(0).get("usable").asBoolean()).isTrue();
        assertThat(photos.get(0).get("faces").asInt()).isEqualTo(1);
        assertThat(photos.get(0).get("faceSize").asInt()).isGreaterThan(50);
        assertThat(photos.get(0).get("sharpness").asDouble()).isGreaterThan(0);
        assertThat(photos.get(1).get("usable").asBoolean()).isTrue();
        assertThat(photos.get(2).get("problem").asText()).contains("no face found");
        assertThat(photos.get(3).get("faces").asInt()).isGreaterThan(10);
        assertThat(photos.get(3).get("problem").asText()).contains("faces found", "alone");
        assertThat(photos.get(4).get("problem").asText()).contains("not a JPEG or PNG");
        assertThat(photos.get(5).get("usable").asBoolean()).isFalse();
        assertThat(photos.get(5).get("problem").asText()).isNotBlank();
        assertThat(body.get("person").get("embeddings").asInt()).isEqualTo(2);

        WatchlistEntry entry = watchlistTopic().get("salley");
        assertThat(entry.displayName()).isEqualTo("John Salley");
        assertThat(entry.threshold()).isEqualTo(0.45);
        assertThat(entry.metadata()).isEqualTo(Map.of("team", "pistons"));
        assertThat(entry.model()).isEqualTo(EmbedderModel.BUNDLED);
        assertThat(entry.embeddings()).hasSize(2);
        assertThat(photosTopic().get("salley").photos()).hasSize(2);

        JsonNode person = JSON.readTree(
                send(request("/api/v1/people/salley", viewer).GET()).body());
        assertThat(person.get("photos").asInt()).isEqualTo(2);
        HttpResponse<byte[]> photo = CLIENT.send(
                request(person.get("photo").asText(), viewer).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.body()).isEqualTo(photosTopic().get("salley").photos().get(0));
        assertThat(send(request("/api/v1/people/salley/photos/2", viewer).GET()).statusCode())
                .isEqualTo(404);
        assertThat(send(request("/api/v1/people/salley/photos/x", viewer).GET()).statusCode())
                .isEqualTo(400);
        JsonNode list = JSON.readTree(
                send(request("/api/v1/people?q=SALL", viewer).GET()).body());
        assertThat(list.get("total").asInt()).isEqualTo(1);

        HttpResponse<String> again = send(new Multipart()
                .field("id", "salley")
                .file("photo", "a.jpg", Files.readAllBytes(SALLEY.resolve("000179_02159509.jpg")))
                .post("/api/v1/people", operator));
        assertThat(again.statusCode()).isEqualTo(409);
    }

    @Test
    @Order(5)
    void aPhotoOfSomeoneEnrolledIsReportedAsAPossibleDuplicate() throws Exception {
        HttpResponse<String> r = send(new Multipart()
                .file("photo", "c.jpg", Files.readAllBytes(SALLEY.resolve("000189_02159361.jpg")))
                .file("photo", "d.jpg", Files.readAllBytes(FACES.resolve("misc/grace_hopper_512x512.jpg")))
                .post("/api/v1/people/check", operator));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode photos = JSON.readTree(r.body()).get("photos");
        assertThat(photos.get(0).get("duplicates").get(0).get("personId").asText())
                .isEqualTo("salley");
        assertThat(photos.get(0).get("duplicates").get(0).get("similarity").asDouble())
                .isGreaterThan(0.5);
        assertThat(photos.get(1).get("usable").asBoolean()).isTrue();
        assertThat(photos.get(1).get("duplicates")).isEmpty();
        assertThat(JSON.readTree(r.body()).get("duplicatesChecked").asBoolean()).isTrue();
        assertThat(watchlistTopic().keySet()).as("a check writes nothing").containsExactly("salley");
    }

    @Test
    @Order(6)
    void badUploadsAreRefusedAndWriteNothing() throws Exception {
        byte[] landscape = Files.readAllBytes(FACES.resolve("misc/no-face-landscape.jpg"));
        HttpResponse<String> noFace = send(new Multipart()
                .field("id", "nobody")
                .file("photo", "l.jpg", landscape)
                .post("/api/v1/people", operator));
        assertThat(noFace.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(noFace.body()).get("error").asText()).contains("'nobody' was not enrolled");
        assertThat(JSON.readTree(noFace.body())
                        .get("photos")
                        .get(0)
                        .get("problem")
                        .asText())
                .contains("no face found");

        HttpResponse<String> noPhoto =
                send(new Multipart().field("id", "nobody").post("/api/v1/people", operator));
        assertThat(noPhoto.statusCode()).isEqualTo(400);
        assertThat(error(noPhoto)).contains("no photo");
        HttpResponse<String> noId =
                send(new Multipart().file("photo", "l.jpg", landscape).post("/api/v1/people", operator));
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(error(noId)).contains("person id is missing");
        HttpResponse<String> oddField = send(new Multipart()
                .field("id", "nobody")
                .field("age", "40")
                .file("photo", "l.jpg", landscape)
                .post("/api/v1/people", operator));
        assertThat(oddField.statusCode()).isEqualTo(400);
        assertThat(error(oddField)).contains("unknown field 'age'");
        HttpResponse<String> badThreshold = send(new Multipart()
                .field("id", "nobody")
                .field("threshold", "high")
                .file("photo", "l.jpg", landscape)
                .post("/api/v1/people", operator));
        assertThat(error(badThreshold)).contains("threshold 'high' is not a number");
        HttpResponse<String> json = send(json("/api/v1/people", operator, "{\"id\":\"nobody\"}"));
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(error(json)).contains("multipart/form-data");

        // 50 MB: refused from its declared length, before the body is read
        byte[] fifty = new byte[50 << 20];
        HttpResponse<String> large = send(new Multipart()
                .field("id", "nobody")
                .file("photo", "big.jpg", fifty)
                .post("/api/v1/people", operator));
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(error(large)).contains("at most");

        assertThat(watchlistTopic().keySet()).containsExactly("salley");
        assertThat(photosTopic().keySet()).containsExactly("salley");
    }

    // ---- alerts

    @Test
    @Order(7)
    void alertsAreFoundByCameraPersonAndTime() throws Exception {
        Instant t0 = Instant.now().minus(Duration.ofHours(2));
        try (KafkaProducer<String, Alert> p = new KafkaProducer<>(
                KafkaClients.producer(settings.common(), "console-it"),
                new StringSerializer(),
                settings.topics().alerts.valueSerde().serializer())) {
            // as the matcher writes them: the record's time is the alert's
            for (Alert a : List.of(
                    alert("door", "salley", t0),
                    alert("yard", "salley", t0.plusSeconds(600)),
                    alert("door", "grace", t0.plusSeconds(1200)))) {
                p.send(new ProducerRecord<>(
                                settings.topics().alerts.name(),
                                null,
                                a.matchedAt().toEpochMilli(),
                                a.cameraId(),
                                a))
                        .get();
            }
        }

        assertThat(alertIds("")).hasSize(3);
        assertThat(alertIds("?camera=door")).hasSize(2);
        assertThat(alertIds("?person=salley")).hasSize(2);
        assertThat(alertIds("?camera=door&person=salley")).hasSize(1);
        assertThat(alertIds("?from=" + t0.plusSeconds(300))).hasSize(2);
        assertThat(alertIds("?from=" + t0.plusSeconds(300) + "&to="
                        + t0.plusSeconds(900).toEpochMilli()))
                .hasSize(1);
        assertThat(alertIds("?limit=1")).hasSize(1);
        JsonNode newest = JSON.readTree(
                send(request("/api/v1/alerts?limit=1", viewer).GET()).body());
        assertThat(newest.get("alerts").get(0).get("personId").asText())
                .as("newest first")
                .isEqualTo("grace");

        HttpResponse<String> badFrom =
                send(request("/api/v1/alerts?from=yesterday", viewer).GET());
        assertThat(badFrom.statusCode()).isEqualTo(400);
        assertThat(error(badFrom)).contains("ISO-8601");
        assertThat(send(request("/api/v1/alerts?limit=0", viewer).GET()).statusCode())
                .isEqualTo(400);
        assertThat(send(request("/api/v1/alerts?from=" + t0 + "&to=" + t0.minusSeconds(1), viewer)
                                .GET())
                        .statusCode())
                .isEqualTo(400);
    }

    // ---- removal and the audit log

    @Test
    @Order(8)
    void removingAPersonErasesTheEntryAndPhotosAndEveryChangeIsAudited() throws Exception {
        assertThat(send(request("/api/v1/people/salley", operator).DELETE()).statusCode())
                .isEqualTo(204);
        assertThat(send(request("/api/v1/people/salley", viewer).GET()).statusCode())
                .isEqualTo(404);
        assertThat(watchlistTopic()).isEmpty();
        assertThat(photosTopic()).isEmpty();

        HttpResponse<String> audit =
                send(request("/api/v1/audit?limit=50", admin).GET());
        List<String> lines = new ArrayList<>();
        for (JsonNode e : JSON.readTree(audit.body()).get("events")) {
            lines.add(e.get("action").asText() + " " + e.get("target").asText() + " by "
                    + e.get("actor").asText() + " (" + e.get("role").asText() + ")");
        }
        assertThat(lines)
                .as("newest first")
                .containsExactly(
                        "person.delete salley by otto (operator)",
                        "person.enrol salley by otto (operator)",
                        "camera.delete yard by otto (operator)",
                        "camera.put yard by otto (operator)",
                        "camera.put door by otto (operator)",
                        "camera.put door by otto (operator)");
        assertThat(audit.body()).doesNotContain(PASSWORD);
    }

    // ---- the contract

    @Test
    @Order(9)
    void theOpenApiDocumentDescribesExactlyTheRoutesServed() throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(uri("/openapi.json")).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        Set<String> served = new HashSet<>(http.routes());
        served.removeIf(s -> s.endsWith(" /metrics") || s.contains(" /health/") || s.contains(" /console"));
        assertThat(documented).isEqualTo(served);
        // every $ref resolves
        for (String ref : refs(doc, new ArrayList<>())) {
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    // ---- helpers

    static List<String> refs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    refs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> refs(c, out));
        }
        return out;
    }

    static Alert alert(String camera, String person, Instant at) {
        return new Alert(
                1,
                UUID.randomUUID().toString(),
                camera,
                person,
                person,
                0.8,
                0.4,
                at,
                at.plusMillis(80),
                80,
                1,
                new FaceBox(10, 10, 60, 60),
                new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2},
                null,
                null);
    }

    List<String> alertIds(String query) throws Exception {
        HttpResponse<String> r = send(request("/api/v1/alerts" + query, viewer).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body())
                .get("alerts")
                .forEach(a -> ids.add(a.get("alertId").asText()));
        return ids;
    }

    static Map<String, CameraSpec> cameraTopic() {
        return latest(settings.topics().cameras);
    }

    static Map<String, WatchlistEntry> watchlistTopic() {
        return latest(settings.topics().watchlist);
    }

    static Map<String, EnrolmentPhotos> photosTopic() {
        return latest(settings.topics().enrolmentPhotos);
    }

    static <V> Map<String, V> latest(Topic<String, V> topic) {
        return CompactedTopicReader.read(
                KafkaClients.reader(settings.common(), "console-it"),
                topic.name(),
                topic.valueSerde().deserializer(),
                (key, e) -> {
                    throw e;
                },
                Duration.ofSeconds(30));
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    static HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    static HttpRequest.Builder json(String path, String token, String body) {
        return request(path, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).get("error").asText();
    }

    /** A multipart/form-data body, as a browser's form sends it. */
    static final class Multipart {
        private final String boundary = "----vigil" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n");
            return this;
        }

        Multipart file(String name, String fileName, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        HttpRequest.Builder post(String path, String token) {
            write("--" + boundary + "--\r\n");
            return request(path, token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
