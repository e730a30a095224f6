package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.models.ModelRecord;
import io.llmcp.models.ModelRegistry;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcException;
import io.llmcp.store.CompactResult;
import io.llmcp.store.GcResult;
import io.llmcp.store.StoreStats;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The {@code store.*} namespace: sizes, garbage collection, compaction and the quota of the one store file. */
public final class StoreMethods {
    private final Supplier<ModelRegistry> registry;

    public StoreMethods(Supplier<ModelRegistry> registry) {
        this.registry = registry;
    }

    public void register(MethodRegistry methods) {
        methods.register("store.stats", call -> stats(registry.get()));
        methods.register("store.gc", call -> {
            GcResult r = registry.get().gc();
            return Json.MAPPER.valueToTree(r);
        });
        methods.register("store.compact", call -> {
            CompactResult r = registry.get().store().compact();
            return Json.object().put("fileBytesBefore", r.fileBytesBefore()).put("fileBytesAfter", r.fileBytesAfter())
                    .put("bytesReclaimed", r.bytesReclaimed()).put("millis", r.millis());
        });
        methods.register("store.setQuota", call -> {
            long bytes = call.params().optLong("bytes", -1, 0, Long.MAX_VALUE);
            if (bytes < 0) throw RpcException.invalidParams("bytes", "is required");
            List<String> evicted = registry.get().setQuota(bytes);
            ObjectNode out = Json.object().put("quotaBytes", bytes);
            out.set("evicted", Json.MAPPER.valueToTree(evicted));
            return out;
        });
    }

    static ObjectNode stats(ModelRegistry registry) {
        StoreStats s = registry.store().stats();
        List<ModelRecord> models = registry.listModels();
        Set<String> named = new HashSet<>();
        long modelBytes = 0;
        for (ModelRecord r : models) {
            modelBytes += r.size();
            r.files().values().forEach(f -> named.add(f.sha256()));
        }
        long unnamedBlobBytes = registry.store().listBlobs().stream()
                .filter(b -> !named.contains(b.sha256())).mapToLong(b -> b.size()).sum();
        // what the data would take without any sharing: every model's files, loose blobs, unfinished downloads
        long logical = modelBytes + unnamedBlobBytes + s.partialBytes();
        ObjectNode out = Json.object()
                .put("logicalBytes", logical)
                .put("storedBytes", s.storedBytes())
                .put("fileBytes", s.fileBytes())
                .put("dedupSavedBytes", Math.max(0, logical - s.storedBytes()))
                .put("chunkCount", s.chunkCount())
                .put("blobCount", s.blobCount())
                .put("blobBytes", s.blobBytes())
                .put("partialCount", s.partialCount())
                .put("partialBytes", s.partialBytes())
                .put("quotaBytes", registry.quotaBytes())
                .put("file", registry.store().file().toString());
        ArrayNode arr = out.putArray("models");
        for (ModelRecord r : models) {
            arr.addObject().put("modelId", r.modelId()).put("size", r.size()).put("lastUsed", r.lastUsed())
                    .put("loadCount", r.loadCount()).put("pinned", r.pinned()).put("complete", r.complete());
        }
        return out;
    }
}
