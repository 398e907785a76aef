package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vigil.api.Fixtures;
import io.vigil.api.alert.Alert;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraState;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.face.EmbedderModel;
import io.vigil.api.face.FaceBox;
import io.vigil.api.watchlist.WatchlistEntry;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

class JsonSerdeTest {

    static Alert sampleAlert() {
        Instant captured = Instant.parse("2026-11-28T09:00:00.120Z");
        return new Alert(
                Alert.SCHEMA_VERSION,
                Alert.idFor("gate", "p-017", 42, captured.toEpochMilli()),
                "gate",
                "p-017",
                "Jane Doe",
                0.71,
                0.4,
                captured,
                captured.plusMillis(180),
                180,
                42,
                new FaceBox(10, 20, 110, 140),
                new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2});
    }

    @Test
    void roundTripsACamera() {
        JsonSerde<CameraSpec> serde = new JsonSerde<>(CameraSpec.class);
        CameraSpec cam = new CameraSpec(
                "lobby", "rtsp://u:secret@10.0.0.5:554/s1", 5, 1280, false, Map.of("rtsp_flags", "prefer_tcp"));
        assertThat(serde.decode(serde.encode(cam))).isEqualTo(cam);
    }

    @Test
    void roundTripsCameraStatus() {
        JsonSerde<CameraStatus> serde = new JsonSerde<>(CameraStatus.class);
        CameraStatus s = new CameraStatus("lobby", CameraState.FAILED, "Connection refused", "w1", 5, 0, 0, 0);
        assertThat(serde.decode(serde.encode(s))).isEqualTo(s);
    }

    @Test
    void roundTripsAWatchlistEntryWithEmbeddings() {
        JsonSerde<WatchlistEntry> serde = new JsonSerde<>(WatchlistEntry.class);
        WatchlistEntry e = new WatchlistEntry(
                "p-017",
                "Jane Doe",
                List.of(Fixtures.unitVector(512, 1), Fixtures.unitVector(512, 2)),
                0.42,
                Map.of("team", "red"),
                7);
        WatchlistEntry back = serde.decode(serde.encode(e));
        assertThat(back.embeddings()).hasSize(2);
        assertThat(back.embeddings().get(1)).containsExactly(e.embeddings().get(1));
        assertThat(back.threshold()).isEqualTo(0.42);
        assertThat(back.metadata()).isEqualTo(Map.of("team", "red"));
        assertThat(back.model()).isNull();
        assertThat(new String(serde.encode(e), StandardCharsets.UTF_8)).doesNotContain("\"model\"");
    }

    @Test
    void aWatchlistEntryNamesItsEmbedderAsADigest() {
        JsonSerde<WatchlistEntry> serde = new JsonSerde<>(WatchlistEntry.class);
        WatchlistEntry e = new WatchlistEntry(
                "p-017", "Jane", List.of(Fixtures.unitVector(512, 1)), null, Map.of(), 7, EmbedderModel.BUNDLED);
        assertThat(serde.decode(serde.encode(e)).model()).isEqualTo(EmbedderModel.BUNDLED);
        String json = new String(serde.encode(e), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.decode(
                        json.replace(EmbedderModel.BUNDLED, "arcface-r100").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("64 lowercase hex");
    }

    @Test
    void roundTripsAnAlert() {
        JsonSerde<Alert> serde = new JsonSerde<>(Alert.class);
        Alert a = sampleAlert();
        Alert back = serde.decode(serde.encode(a));
        assertThat(back).usingRecursiveComparison().isEqualTo(a);
    }

    @Test
    void writesAlertsThatTheirPublishedSchemaAccepts() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schema/alert-v1.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
        JsonNode json = JsonSerde.MAPPER.readTree(new JsonSerde<>(Alert.class).encode(sampleAlert()));
        assertThat(schema.validate(json)).isEmpty();
        assertThat(json.get("capturedAt").asText()).isEqualTo("2026-11-28T09:00:00.120Z");
        assertThat(json.get("thumbnail").asText()).isEqualTo("/9gBAg==");

        ((ObjectNode) json).remove("personId");
        Set<ValidationMessage> errors = schema.validate(json);
        assertThat(errors).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("personId"));
    }

    @Test
    void alertIdsAreDeterministicPerSighting() {
        assertThat(Alert.idFor("gate", "p1", 1, 100))
                .isEqualTo(Alert.idFor("gate", "p1", 1, 100))
                .isNotEqualTo(Alert.idFor("gate", "p1", 2, 100))
                .isNotEqualTo(Alert.idFor("door", "p1", 1, 100));
    }

    @Test
    void rejectsACameraRecordThatBreaksValidationWithATypedError() {
        JsonSerde<CameraSpec> serde = new JsonSerde<>(CameraSpec.class);
        byte[] bad = "{\"id\":\"lobby\",\"url\":\"ftp://x/y\",\"fps\":99}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> serde.decode(bad))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("scheme 'ftp'")
                .hasMessageContaining("fps 99");
    }

    @Test
    void rejectsMalformedJsonWithATypedError() {
        JsonSerde<WatchlistEntry> serde = new JsonSerde<>(WatchlistEntry.class);
        assertThatThrownBy(() -> serde.decode("{\"personId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class);
        assertThatThrownBy(() -> serde.decode("null".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class);
    }
}
