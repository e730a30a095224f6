package io.llmcp.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Adds one execution provider to session options. A separate seam so tests can make "CUDA requested" fail
 * on a machine without a GPU and check the CPU fallback and the reason reported.
 */
@FunctionalInterface
public interface ProviderAttempt {
    void add(OrtSession.SessionOptions options, String provider) throws OrtException;

    /** What ORT offers: CUDA through {@code addCUDA(device)}; CPU is always there (nothing to add). */
    static ProviderAttempt ort(int cudaDevice) {
        return (options, provider) -> {
            if (OrtRuntime.CUDA.equals(provider)) options.addCUDA(cudaDevice);
        };
    }
}
