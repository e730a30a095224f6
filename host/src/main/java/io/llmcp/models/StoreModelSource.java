package io.llmcp.models;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import io.llmcp.inference.ModelSource;
import io.llmcp.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's files as the inference layer reads them: straight out of the store's chunks into ORT's direct
 * buffers, so a session is created with no second copy of the model on disk and none on the Java heap.
 */
public final class StoreModelSource implements ModelSource {
    private final BlobStore store;
    private final ModelRecord record;

    private StoreModelSource(BlobStore store, ModelRecord record) {
        this.store = store;
        this.record = record;
    }

    /**
     * The complete model {@code modelId}; NOT_FOUND when it was never pulled, MODEL_INVALID when unfinished.
     * Only reads: it runs on every request (a warm one included), so recording the use is left to the load.
     */
    public static StoreModelSource open(ModelRegistry registry, String modelId) {
        ModelRecord record = registry.getModel(modelId).orElseThrow(() -> new ModelException(Failure.NOT_FOUND,
                "model " + modelId + " is not downloaded; pull it first (llmcp pull <url> --id " + modelId + ")"));
        if (!record.complete()) {
            throw new ModelException(Failure.MODEL_INVALID, "model " + modelId + " is only partly downloaded; pull it again to finish");
        }
        return new StoreModelSource(registry.store(), record);
    }

    /** The ONNX file the model's config names (the extension's {@code modelFileName}). */
    @Override
    public String onnxPath() {
        String p = record.config() == null ? null : record.config().path("modelFileName").asText(null);
        return p != null ? p : ModelConfig.DEFAULT_MODEL_FILE;
    }

    @Override
    public String modelId() {
        return record.modelId();
    }

    @Override
    public Map<String, Long> files() {
        Map<String, Long> out = new LinkedHashMap<>();
        record.files().forEach((path, f) -> out.put(path, f.size()));
        return out;
    }

    @Override
    public void fill(String path, long offset, ByteBuffer target) throws IOException {
        String sha = sha(path);
        // A whole file takes the store's parallel reader; windows of files over 2 GiB go range by range. Every chunk
        // read is checked against its SHA-256, so a damaged store file fails the load instead of feeding ORT.
        try {
            if (offset == 0 && target.remaining() == record.files().get(path).size()) store.readInto(sha, target);
            else store.readRange(sha, offset, target);
        } catch (DomainException e) {
            throw damaged(path, sha, e);
        }
    }

    /** A read of {@code path} failed in the store: STORE_CORRUPT naming the model and the file. */
    private DomainException damaged(String path, String sha, DomainException e) {
        if (e.failure() != Failure.STORE_CORRUPT && e.failure() != Failure.NOT_FOUND) return e;
        return new ModelException(Failure.STORE_CORRUPT, "model " + record.modelId() + ": '" + path + "' is damaged in the store ("
                + e.getMessage() + "); run llmcp verify " + record.modelId() + ", then pull the model again",
                Details.of("modelId", record.modelId(), "path", path, "sha256", sha), e);
    }

    /** MVStore reads every page into a new heap buffer. */
    @Override
    public boolean readsThroughHeap() {
        return true;
    }

    @Override
    public String readText(String path) throws IOException {
        String sha = sha(path);
        try (InputStream in = store.openBlob(sha)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (DomainException e) {
            throw damaged(path, sha, e);
        }
    }

    private String sha(String path) throws IOException {
        ModelFile f = record.files().get(path);
        if (f == null) throw new java.nio.file.NoSuchFileException(record.modelId() + ": " + path);
        return f.sha256();
    }
}
