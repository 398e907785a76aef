package io.vigil.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** The rewritten models give, for a batch of N, exactly what the shipped batch-1 models give one by one. */
class BatchRewriterIT {
    static Stream<ModelSource> models() {
        return Stream.of(ModelSource.DETECTOR, ModelSource.LANDMARKS, ModelSource.EMBEDDER);
    }

    @ParameterizedTest
    @MethodSource("models")
    void batchOfSevenEqualsSevenSingleRunsOfTheOriginal(ModelSource source) throws Exception {
        byte[] original = source.load();
        BatchRewriter.Result rewritten = BatchRewriter.makeBatchDynamic(original);
        assertThat(rewritten.dynamicTensors()).isNotEmpty();
        if (source == ModelSource.EMBEDDER) {
            assertThat(rewritten.reshapeConstants())
                    .as("the final Reshape [1,-1]")
                    .isNotEmpty();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession batch1 = env.createSession(original, new OrtSession.SessionOptions());
                OnnxModel dynamic = new OnnxModel(source, SessionSettings.CPU_DEFAULT)) {
            int per = dynamic.sampleSize();
            int n = 7;
            float[] input = new float[n * per];
            Random r = new Random(7);
            for (int i = 0; i < input.length; i++) {
                input[i] = r.nextFloat() * 2 - 1;
            }
            float[][] together = dynamic.run(input, n);
            long[] shape1 = new long[dynamic.sampleShape().length + 1];
            shape1[0] = 1;
            System.arraycopy(dynamic.sampleShape(), 0, shape1, 1, dynamic.sampleShape().length);
            String inputName = batch1.getInputNames().iterator().next();
            double maxDiff = 0;
            for (int k = 0; k < n; k++) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input, k * per, per), shape1);
                        OrtSession.Result res = batch1.run(Map.of(inputName, t))) {
                    for (int o = 0; o < together.length; o++) {
                        FloatBuffer fb = ((OnnxTensor) res.get(o)).getFloatBuffer();
                        int size = fb.remaining();
                        assertThat(together[o].length).isEqualTo(size * n);
                        for (int i = 0; i < size; i++) {
                            maxDiff = Math.max(maxDiff, Math.abs(fb.get(i) - together[o][k * size + i]));
                        }
                    }
                }
            }
            System.out.printf("%s: batch of %d vs batch-1 runs, max abs difference %.2e%n", source.name(), n, maxDiff);
            assertThat(maxDiff).isLessThan(1e-4);
        }
    }
}
