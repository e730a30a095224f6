package io.llmcp.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostContext;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcException;
import io.llmcp.store.CompactResult;
import io.llmcp.store.GcResult;
import io.llmcp.store.StoreStats;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code models.has|list|delete|verify|pin} and {@code store.stats|gc|compact|setQuota} (docs/PROTOCOL.md,
 * "Models and store"). {@code models.pull} and {@code models.checkUpdate} live with the downloader.
 */
public final class ModelStoreMethods {
    private ModelStoreMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("models.has", call -> has(ModelRegistry.of(ctx), call.params().requireString("modelId")));
        registry.register("models.list", call -> list(ModelRegistry.of(ctx)));
        registry.register("models.delete", call -> {
            String id = call.params().requireString("modelId");
            long freed = ModelRegistry.of(ctx).deleteModel(id);
            return Json.object().put("modelId", id).put("deleted", freed >= 0).put("bytesFreed", Math.max(0, freed));
        });
        registry.register("models.verify", call -> verify(ModelRegistry.of(ctx), call.params().requireString("modelId")));
        registry.register("models.pin", call -> {
            String id = call.params().requireString("modelId");
            JsonNode p = call.params().get("pinned");
            if (!p.isBoolean()) throw RpcException.invalidParams("pinned", "is required and must be true or false");
            ModelRecord r = ModelRegistry.of(ctx).pin(id, p.asBoolean());
            return Json.object().put("modelId", id).put("pinned", r.pinned());
        });
        registry.register("store.stats", call -> stats(ModelRegistry.of(ctx)));
        registry.register("store.gc", call -> {
            GcResult r = ModelRegistry.of(ctx).gc();
            return Json.MAPPER.valueToTree(r);
        });
        registry.register("store.compact", call -> {
            CompactResult r = ModelRegistry.of(ctx).store().compact();
            return Json.object().put("fileBytesBefore", r.fileBytesBefore()).put("fileBytesAfter", r.fileBytesAfter())
                    .put("bytesReclaimed", r.bytesReclaimed()).put("millis", r.millis());
        });
        registry.register("store.setQuota", call -> {
            long bytes = call.params().optLong("bytes", -1, 0, Long.MAX_VALUE);
            if (bytes < 0) throw RpcException.invalidParams("bytes", "is required");
            List<String> evicted = ModelRegistry.of(ctx).setQuota(bytes);
            ObjectNode out = Json.object().put("quotaBytes", bytes);
            out.set("evicted", Json.MAPPER.valueToTree(evicted));
            return out;
        });
    }

    /** The original {@code hasModelData}: known? complete? which of the named files are missing? */
    static ObjectNode has(ModelRegistry registry, String modelId) {
        ObjectNode out = Json.object().put("modelId", modelId);
        var record = registry.getModel(modelId);
        if (record.isEmpty()) {
            out.put("known", false).put("complete", false);
            out.putArray("files");
            out.putArray("missing");
            return out;
        }
        ModelRecord r = record.get();
        List<String> missing = new ArrayList<>();
        for (String path : requiredFiles(r.config())) {
            if (!r.files().containsKey(path)) missing.add(path);
        }
        r.files().forEach((path, f) -> {
            if (registry.store().findBlob(f.sha256()).isEmpty() && !missing.contains(path)) missing.add(path);
        });
        out.put("known", true).put("complete", r.complete() && missing.isEmpty());
        out.set("files", files(r));
        out.set("missing", Json.MAPPER.valueToTree(missing));
        return out;
    }

    /** The files a ModelConfig names itself (the optional tokenizer files are not required). */
    static List<String> requiredFiles(ObjectNode config) {
        Set<String> out = new java.util.LinkedHashSet<>();
        out.add(config.path("modelFileName").asText("onnx/model.onnx"));
        out.add(config.path("configFileName").asText("config.json"));
        String ex = config.path("modelExDataFileName").asText("");
        if (!ex.isEmpty()) out.add(ex);
        return new ArrayList<>(out);
    }

    static ObjectNode list(ModelRegistry registry) {
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("models");
        for (ModelRecord r : registry.listModels()) arr.add(summary(r));
        return out;
    }

    static ObjectNode summary(ModelRecord r) {
        ObjectNode m = Json.object().put("modelId", r.modelId())
                .put("name", r.config().path("name").asText(r.modelId()));
        m.set("config", r.config());
        m.set("files", files(r));
        m.put("size", r.size()).put("complete", r.complete()).put("pinned", r.pinned())
                .put("createdAt", r.createdAt()).put("lastUsed", r.lastUsed()).put("loadCount", r.loadCount());
        return m;
    }

    private static ArrayNode files(ModelRecord r) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        r.files().forEach((path, f) -> {
            ObjectNode o = arr.addObject().put("path", path).put("size", f.size()).put("sha256", f.sha256());
            if (f.url() != null) o.put("url", f.url());
            if (f.etag() != null) o.put("etag", f.etag());
            o.put("fetchedAt", f.fetchedAt());
        });
        return arr;
    }

    static ObjectNode verify(ModelRegistry registry, String modelId) {
        ObjectNode out = Json.object().put("modelId", modelId);
        ArrayNode arr = Json.MAPPER.createArrayNode();
        boolean ok = true;
        for (ModelRegistry.FileCheck c : registry.verify(modelId)) {
            ObjectNode o = arr.addObject().put("path", c.path()).put("ok", c.ok()).put("sha256", c.sha256());
            if (!c.ok()) o.put("problem", c.problem());
            ok &= c.ok();
        }
        out.put("ok", ok);
        out.set("files", arr);
        return out;
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
