package io.vigil.inference.model;

import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime session options.
 *
 * @param device         CPU, CUDA or AUTO
 * @param intraOpThreads threads per operator; 0 = ONNX Runtime's default (one per core)
 * @param optimization   graph optimisation level
 * @param spin           whether ONNX Runtime's idle pool threads spin waiting for work: it shortens back-to-back
 *                       runs a little, and burns CPU after every run (with motion gating and tracking the runs are
 *                       small and sparse, and the spinning cost more than the models did), so it is off by default
 */
public record SessionSettings(
        Device device, int intraOpThreads, OrtSession.SessionOptions.OptLevel optimization, boolean spin) {
    public static final SessionSettings CPU_DEFAULT =
            new SessionSettings(Device.CPU, 0, OrtSession.SessionOptions.OptLevel.ALL_OPT, false);
}
