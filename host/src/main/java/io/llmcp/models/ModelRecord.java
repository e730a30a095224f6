package io.llmcp.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host knows about one model: the extension's config JSON (kept as given, so fields this version does not
 * know survive), its files (path relative to the repo → blob), whether all of them are present, and usage for LRU
 * eviction. Immutable; the {@code with…} methods return changed copies.
 *
 * @param config    the ModelConfig JSON exactly as received
 * @param files     path → file, in pull order
 * @param complete  every required file is stored (set by the puller when it finishes)
 * @param lastUsed  epoch millis of the last load (or of creation), the LRU key
 * @param loadCount how many times inference loaded it
 * @param pinned    never evicted by the quota
 * @param planned   every file the last pull's plan will fetch, written before the first byte of them: a pull killed
 *                  before a file got its entry still lets verify name that file as missing (empty in older records)
 */
public record ModelRecord(String modelId, ObjectNode config, Map<String, ModelFile> files, boolean complete,
                          long createdAt, long lastUsed, long loadCount, boolean pinned, List<String> planned) {

    public ModelRecord {
        if (modelId == null || modelId.isEmpty()) throw new IllegalArgumentException("modelId is required");
        config = config == null ? Json.object() : config;
        files = files == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(files));
        planned = planned == null ? List.of() : List.copyOf(planned);
    }

    /** A new, empty, incomplete record. */
    public static ModelRecord create(String modelId, ObjectNode config) {
        long now = System.currentTimeMillis();
        return new ModelRecord(modelId, config, Map.of(), false, now, now, 0, false, List.of());
    }

    public long size() {
        return files.values().stream().mapToLong(ModelFile::size).sum();
    }

    public ModelRecord withFile(String path, ModelFile file) {
        Map<String, ModelFile> m = new LinkedHashMap<>(files);
        m.put(path, file);
        return new ModelRecord(modelId, config, m, complete, createdAt, lastUsed, loadCount, pinned, planned);
    }

    public ModelRecord withFiles(Map<String, ModelFile> newFiles) {
        return new ModelRecord(modelId, config, newFiles, complete, createdAt, lastUsed, loadCount, pinned, planned);
    }

    public ModelRecord withConfig(ObjectNode newConfig) {
        return new ModelRecord(modelId, newConfig, files, complete, createdAt, lastUsed, loadCount, pinned, planned);
    }

    public ModelRecord withComplete(boolean c) {
        return new ModelRecord(modelId, config, files, c, createdAt, lastUsed, loadCount, pinned, planned);
    }

    public ModelRecord withPinned(boolean p) {
        return new ModelRecord(modelId, config, files, complete, createdAt, lastUsed, loadCount, p, planned);
    }

    public ModelRecord withPlanned(List<String> paths) {
        return new ModelRecord(modelId, config, files, complete, createdAt, lastUsed, loadCount, pinned, paths);
    }

    ModelRecord touched(long now) {
        return new ModelRecord(modelId, config, files, complete, createdAt, now, loadCount + 1, pinned, planned);
    }
}
