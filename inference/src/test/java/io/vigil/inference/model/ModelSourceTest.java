package io.vigil.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.api.face.EmbedderModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

class ModelSourceTest {
    @Test
    void verifiesTheBundledChecksums() {
        assertThat(ModelSource.DETECTOR.load()).hasSize(1_217_758);
        assertThat(ModelSource.LANDMARKS.load()).hasSize(1_163_742);
        assertThat(ModelSource.EMBEDDER.load()).hasSize(4_884_269);
    }

    @Test
    void theBundledEmbeddersIdentityIsTheOneTheWireContractNames() {
        // entries and faces that name no model stand for this one: the two must never drift apart
        assertThat(EmbedderModel.ofSha256(ModelSource.sha256(ModelSource.EMBEDDER.load())))
                .isEqualTo(EmbedderModel.BUNDLED);
    }

    @Test
    void refusesAFileWhoseChecksumDiffers() throws Exception {
        Path f = Files.createTempFile("model", ".onnx");
        Files.write(f, new byte[] {1, 2, 3});
        ModelSource s = new ModelSource("embedder", f.toString(), ModelSource.EMBEDDER.sha256());
        assertThatThrownBy(s::load)
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("SHA-256")
                .hasMessageContaining(f.toString());
    }

    @Test
    void namesAMissingFile() {
        assertThatThrownBy(() -> new ModelSource("detector", "/nonexistent/d.onnx", null).load())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("/nonexistent/d.onnx");
    }

    @Test
    void cudaFailsFastWhenThisBuildHasNoCuda() {
        assertThatThrownBy(() -> new OnnxModel(
                        ModelSource.LANDMARKS,
                        new SessionSettings(Device.CUDA, 1, SessionSettings.CPU_DEFAULT.optimization(), false)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("VIGIL_INFERENCE_DEVICE=cuda");
    }

    @Test
    void autoFallsBackToCpu() {
        try (OnnxModel m = new OnnxModel(
                ModelSource.LANDMARKS,
                new SessionSettings(Device.AUTO, 1, SessionSettings.CPU_DEFAULT.optimization(), false))) {
            assertThat(m.device()).isEqualTo(Device.CPU);
        }
    }
}
