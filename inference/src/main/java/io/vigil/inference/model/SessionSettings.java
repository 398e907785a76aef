package io.vigil.inference.model;

import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime session options.
 *
 * @param device         CPU, CUDA or AUTO
 * @param intraOpThreads threads per operator; 0 = ONNX Runtime's default (one per core)
 * @param optimization   graph optimisation level
 */
public record SessionSettings(Device device, int intraOpThreads, OrtSession.SessionOptions.OptLevel optimization) {
    public static final SessionSettings CPU_DEFAULT =
            new SessionSettings(Device.CPU, 0, OrtSession.SessionOptions.OptLevel.ALL_OPT);
}
