package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.api.serde.JsonSerde;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** `vigil faces` on real photographs with the bundled models. */
class FacesCommandIT {
    static final Path FACES = Path.of("..", "inference", "src", "test", "resources", "faces");

    @Test
    void detectPrintsBoxesScoresAndEmbeddingsAndAnnotates() throws Exception {
        Path out = Path.of("target", "annotated-" + UUID.randomUUID());
        VigilCommandTest.Result r = VigilCommandTest.run(
                "faces",
                "detect",
                "--json",
                "--annotate",
                out.toString(),
                FACES.resolve("misc/grace_hopper_512x512.jpg").toString(),
                FACES.resolve("misc/no-face-landscape.jpg").toString());
        assertThat(r.exit()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode grace = JsonSerde.MAPPER.readTree(lines[0]);
        assertThat(grace.get("faces")).hasSize(1);
        assertThat(grace.get("faces").get(0).get("embedding")).hasSize(512);
        assertThat(grace.get("faces").get(0).get("score").asDouble()).isGreaterThan(0.9);
        assertThat(JsonSerde.MAPPER.readTree(lines[1]).get("faces")).isEmpty();
        Path annotated = out.resolve("grace_hopper_512x512.faces.jpg");
        assertThat(annotated).exists();
        assertThat(Files.readAllBytes(annotated)).startsWith((byte) 0xff, (byte) 0xd8);
    }

    @Test
    void compareGivesTheVerdictAsExitCode() {
        Path johns = FACES.resolve("johns-dev");
        VigilCommandTest.Result same = VigilCommandTest.run(
                "faces",
                "compare",
                johns.resolve("John_Simm/000288_00470387.jpg").toString(),
                johns.resolve("John_Simm/000300_00470148.jpg").toString());
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("same person");
        VigilCommandTest.Result different = VigilCommandTest.run(
                "faces",
                "compare",
                johns.resolve("John_Simm/000288_00470387.jpg").toString(),
                johns.resolve("John_Salley/000179_02159509.jpg").toString());
        assertThat(different.exit()).isEqualTo(1);
        assertThat(different.out()).contains("different people");
        VigilCommandTest.Result none = VigilCommandTest.run(
                "faces",
                "compare",
                FACES.resolve("misc/no-face-landscape.jpg").toString(),
                johns.resolve("John_Simm/000288_00470387.jpg").toString());
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no face found");
        VigilCommandTest.Result missing =
                VigilCommandTest.run("faces", "compare", "/nonexistent.jpg", "/also-missing.jpg");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read /nonexistent.jpg");
    }
}
