package io.vigil.inference.model;

/** Where ONNX Runtime runs: CPU, CUDA (fail fast when unavailable), or AUTO (CUDA when available, else CPU with one warning). */
public enum Device {
    CPU,
    CUDA,
    AUTO
}
