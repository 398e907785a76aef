package io.vigil.inference.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;

/** Chooses the execution provider, and logs the choice once per process. */
final class Providers {
    private static final Logger LOG = LoggerFactory.getLogger(Providers.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private Providers() {}

    static Device apply(OrtSession.SessionOptions options, Device wanted, String model) {
        if (wanted == Device.CPU) {
            logOnce("ONNX Runtime execution provider: CPU");
            return Device.CPU;
        }
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        if (available.contains(OrtProvider.CUDA)) {
            try {
                options.addCUDA(0);
                logOnce("ONNX Runtime execution provider: CUDA (device 0)");
                return Device.CUDA;
            } catch (OrtException e) {
                if (wanted == Device.CUDA) {
                    throw new ModelException(
                            "VIGIL_INFERENCE_DEVICE=cuda but the CUDA execution provider failed to"
                                    + " start for the " + model + " model (" + e.getMessage()
                                    + "); check the NVIDIA driver and"
                                    + " CUDA/cuDNN libraries, or use cpu",
                            e);
                }
                LOG.warn("CUDA execution provider failed ({}); falling back to CPU", e.getMessage());
                return Device.CPU;
            }
        }
        if (wanted == Device.CUDA) {
            throw new ModelException("VIGIL_INFERENCE_DEVICE=cuda but this ONNX Runtime build has no CUDA execution"
                    + " provider (available: " + available
                    + "); build with -Pgpu and run on a machine with CUDA, or use cpu");
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.warn("VIGIL_INFERENCE_DEVICE=auto: no CUDA execution provider (available: {}); using CPU", available);
        }
        return Device.CPU;
    }

    private static void logOnce(String message) {
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info(message);
        }
    }
}
