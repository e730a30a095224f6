package io.llmcp.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * What a loaded model needs from wherever its files live (a plain directory, the classpath, the blob
 * store). Paths are the model's own relative names ({@code onnx/model.onnx}, {@code tokenizer.json}).
 * The bytes go straight into a direct buffer, so a model never passes through the Java heap.
 */
public interface ModelSource {
    String modelId();

    /**
     * The ONNX graph a chat model runs. Sources that know better (a pulled model's config names its
     * {@code modelFileName}) override it; inference never needs to know where the source came from.
     */
    default String onnxPath() {
        return "onnx/model.onnx";
    }

    /** Every file of the model: relative path → size in bytes. */
    Map<String, Long> files();

    default boolean has(String path) {
        return files().containsKey(path);
    }

    default long size(String path) throws IOException {
        Long size = files().get(path);
        if (size == null) throw new java.nio.file.NoSuchFileException(modelId() + ": " + path);
        return size;
    }

    /** Total bytes of all files: what the session cache charges against its memory budget. */
    default long totalBytes() {
        return files().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Fills {@code target} (from its position to its limit) with the bytes of {@code path} starting at
     * {@code offset}; fails if the file ends first. Ranged, so a multi-GB external-data part can be loaded
     * in pieces that each fit one direct buffer.
     */
    void fill(String path, long offset, ByteBuffer target) throws IOException;

    /** The whole file at {@code path} into {@code target}, which must have exactly its size remaining or more. */
    default void fill(String path, ByteBuffer target) throws IOException {
        long size = size(path);
        if (size > target.remaining()) {
            throw new IOException(path + " is " + size + " bytes, the buffer has room for " + target.remaining());
        }
        ByteBuffer window = target.slice();
        window.limit((int) size);
        fill(path, 0, window);
        target.position(target.position() + (int) size);
    }

    /**
     * Whether reading a model leaves short-lived garbage on the Java heap (the blob store reads 4 MiB pages into
     * heap buffers); the loader then hands the grown heap back before ONNX Runtime allocates its copies.
     */
    default boolean readsThroughHeap() {
        return false;
    }

    /** A small text file (config.json, tokenizer.json) as UTF-8. */
    String readText(String path) throws IOException;
}
