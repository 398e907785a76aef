package io.vigil.api.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.vigil.api.alert.Alert;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert's Java checks (what every consumer in Vigil applies) and its published JSON Schema (what other consumers
 * apply) agree: on the valid alert, and on each hostile variant, both accept or both refuse.
 */
class AlertSchemaAgreementTest {

    @Test
    void javaChecksAndThePublishedSchemaAgreeOnHostileAlerts() throws Exception {
        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schema/alert-v1.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
        ObjectNode valid = (ObjectNode)
                JsonSerde.MAPPER.readTree(new JsonSerde<>(Alert.class).encode(JsonSerdeTest.sampleAlert()));
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("alertId", "\"96727F69-2524-3818-904C-50C823B7981F\"");
        variants.put("alertId ", "\"96727f69-2524-3818-904c-50c823b7981f\\r\\nX-Injected: 1\"");
        variants.put("alertId  ", "\"not-a-uuid\"");
        variants.put("cameraId", "\"gate one\"");
        variants.put("cameraId ", "\"gate\\r\\n\"");
        variants.put("cameraId  ", "\"" + "c".repeat(65) + "\"");
        variants.put("personId", "\"-leading-dash\"");
        variants.put("displayName", "\"\"");
        variants.put("displayName ", "\"Jane\\nDoe\"");
        variants.put("displayName  ", "\"" + "n".repeat(257) + "\"");
        variants.put("similarity", "1.5");
        variants.put("similarity ", "-2");
        variants.put("threshold", "0");
        variants.put("threshold ", "1");
        variants.put("latencyMs", "-1");
        variants.put("frameSequence", "-5");
        variants.put("schemaVersion", "2");
        variants.put("box", "null");
        variants.put("frame", "{\"topic\":\"vigil.frames\",\"partition\":0,\"offset\":-1}");
        variants.put("frame ", "{\"topic\":\"vigil frames\",\"partition\":0,\"offset\":5}");
        variants.put("frame  ", "{\"topic\":\"vigil.frames\",\"partition\":-2,\"offset\":5}");
        int refused = 0;
        assertThat(schema.validate(valid)).isEmpty();
        assertThat(javaAccepts(valid)).isTrue();
        for (String frame : List.of("null", "{\"topic\":\"vigil.frames\",\"partition\":3,\"offset\":5}")) {
            ObjectNode withFrame = valid.deepCopy();
            withFrame.set("frame", JsonSerde.MAPPER.readTree(frame));
            assertThat(schema.validate(withFrame)).as(frame).isEmpty();
            assertThat(javaAccepts(withFrame)).as(frame).isTrue();
        }
        ObjectNode older = valid.deepCopy();
        older.remove("frame");
        assertThat(schema.validate(older))
                .as("an alert written before frames were located")
                .isEmpty();
        assertThat(javaAccepts(older)).isTrue();
        for (Map.Entry<String, String> v : variants.entrySet()) {
            ObjectNode copy = valid.deepCopy();
            copy.set(v.getKey().trim(), JsonSerde.MAPPER.readTree(v.getValue()));
            boolean schemaAccepts = schema.validate(copy).isEmpty();
            assertThat(javaAccepts(copy))
                    .as(v.getKey().trim() + "=" + v.getValue())
                    .isEqualTo(schemaAccepts);
            refused += schemaAccepts ? 0 : 1;
        }
        for (String required : new String[] {"alertId", "cameraId", "personId", "capturedAt", "box"}) {
            ObjectNode copy = valid.deepCopy();
            copy.remove(required);
            assertThat(javaAccepts(copy)).as("without " + required).isFalse();
            assertThat(schema.validate(copy)).as("without " + required).isNotEmpty();
        }
        assertThat(refused).isEqualTo(variants.size());
    }

    /** What Vigil's alert consumers accept: a readable alert of the version they read. */
    private static boolean javaAccepts(JsonNode json) throws Exception {
        try {
            Alert a = new JsonSerde<>(Alert.class).decode(JsonSerde.MAPPER.writeValueAsBytes(json));
            return a.schemaVersion() == Alert.SCHEMA_VERSION;
        } catch (WireFormatException e) {
            return false;
        }
    }
}
