package io.vigil.inference.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.vigil.api.face.EmbedderModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session over a model whose batch dimension was made dynamic, built once (and warmed up) in the
 * constructor. {@link #run} takes a batch of N inputs laid out contiguously and returns each output's floats.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);
    private final String name;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final long[] sampleShape;
    private final List<String> outputs;
    private final Device device;
    private final String identity;

    public OnnxModel(ModelSource source, SessionSettings settings) {
        this.name = source.name();
        this.env = OrtEnvironment.getEnvironment();
        byte[] file = source.load();
        this.identity = EmbedderModel.ofSha256(ModelSource.sha256(file));
        byte[] model = BatchRewriter.makeBatchDynamic(file).model();
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(settings.optimization());
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            options.setInterOpNumThreads(1);
            if (!settings.spin()) {
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
            }
            this.device = Providers.apply(options, settings.device(), name);
            this.session = env.createSession(model, options);
            this.input = session.getInputNames().iterator().next();
            long[] shape = ((ai.onnxruntime.TensorInfo)
                            session.getInputInfo().get(input).getInfo())
                    .getShape();
            this.sampleShape = Arrays.copyOfRange(shape, 1, shape.length);
            this.outputs = List.copyOf(session.getOutputNames());
        } catch (OrtException e) {
            throw new ModelException(
                    "ONNX Runtime cannot load the " + name + " model from " + source.location() + ": " + e.getMessage(),
                    e);
        }
        run(new float[sampleSize()], 1); // warm-up: first run allocates and optimises
        LOG.debug("Loaded {} model: input {} {}, outputs {}", name, input, Arrays.toString(sampleShape), outputs);
    }

    /** The {@link EmbedderModel} identity of the model file as loaded (before its batch dimension is made dynamic). */
    public String identity() {
        return identity;
    }

    /** Floats per batch item of the input. */
    public int sampleSize() {
        long n = 1;
        for (long d : sampleShape) {
            n *= d;
        }
        return (int) n;
    }

    public long[] sampleShape() {
        return sampleShape.clone();
    }

    public Device device() {
        return device;
    }

    /** Runs a batch of {@code n} samples; returns each output (in model order) as one flat float array. */
    public float[][] run(float[] batch, int n) {
        if (batch.length < (long) n * sampleSize()) {
            throw new IllegalArgumentException(
                    name + ": batch of " + n + " needs " + (long) n * sampleSize() + " floats");
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch, 0, n * sampleSize()), shape);
                OrtSession.Result result = session.run(Map.of(input, tensor))) {
            float[][] out = new float[outputs.size()][];
            for (int i = 0; i < out.length; i++) {
                FloatBuffer fb = ((OnnxTensor) result.get(i)).getFloatBuffer();
                out[i] = new float[fb.remaining()];
                fb.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(name + " inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing the {} session failed: {}", name, e.getMessage());
        }
    }
}
