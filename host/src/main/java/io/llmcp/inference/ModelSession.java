package io.llmcp.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open ORT session plus the native memory it borrows: external-data initializers are handed to ORT as
 * tensors over our direct buffers (ORT uses them in place on CPU), so those buffers live exactly as long
 * as the session and are freed with it.
 */
public final class ModelSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelSession.class);

    private final String modelId;
    private final OrtSession session;
    private final String provider;
    private final String fallbackReason;
    private final long modelBytes;
    private final long loadMillis;
    private final List<OnnxTensor> externalTensors;
    private final List<ByteBuffer> externalBuffers;
    private final AutoCloseable mappedFiles;
    private boolean closed;

    /** {@code mappedFiles}: files ORT maps (removed already where the system allows; else at close), or null. */
    ModelSession(String modelId, OrtRuntime.Opened opened, long modelBytes, long loadMillis,
                 List<OnnxTensor> externalTensors, List<ByteBuffer> externalBuffers, AutoCloseable mappedFiles) {
        this.modelId = modelId;
        this.session = opened.session();
        this.provider = opened.provider();
        this.fallbackReason = opened.fallbackReason();
        this.modelBytes = modelBytes;
        this.loadMillis = loadMillis;
        this.externalTensors = List.copyOf(externalTensors);
        this.externalBuffers = List.copyOf(externalBuffers);
        this.mappedFiles = mappedFiles;
    }

    public String modelId() {
        return modelId;
    }

    public OrtSession session() {
        return session;
    }

    /** "CPU" or "CUDA": what this session actually runs on. */
    public String provider() {
        return provider;
    }

    /** Why CUDA was not used although preferred; null when no fallback happened. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** Bytes of the model's ONNX file plus its external data. */
    public long modelBytes() {
        return modelBytes;
    }

    public long loadMillis() {
        return loadMillis;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("closing the session of {} failed: {}", modelId, e.toString());
        }
        // Only after the session is gone: ORT reads these buffers for as long as the session lives.
        for (OnnxTensor t : externalTensors) t.close();
        for (ByteBuffer b : externalBuffers) NativeBuffers.free(b);
        if (mappedFiles != null) {
            try {
                mappedFiles.close();
            } catch (Exception e) {
                log.warn("removing the mapped files of {} failed: {}", modelId, e.toString());
            }
        }
    }
}
