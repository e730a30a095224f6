package io.llmcp.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostContext;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code embed}, {@code sessions.list}, {@code sessions.unload}. */
public final class SessionMethods {
    private SessionMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("embed", call -> embed(InferenceService.of(ctx), call));
        registry.register("sessions.list", call -> list(InferenceService.of(ctx)));
        registry.register("sessions.unload", call -> unload(InferenceService.of(ctx), call));
    }

    /** {@code keepAliveSeconds} of a request: null = the configured default; negative = forever. */
    public static Duration keepAlive(Params p) {
        if (!p.has("keepAliveSeconds")) return null;
        return Duration.ofSeconds(p.optLong("keepAliveSeconds", 0, Long.MIN_VALUE / 2_000_000_000L, 366L * 24 * 3600));
    }

    static ObjectNode embed(InferenceService service, RpcCall call) {
        Params p = call.params();
        String modelId = p.requireString("modelId");
        List<String> texts = texts(p, service.maxEmbedTexts());
        Embedder.Pooling pooling = Embedder.Pooling.parse(p.optString("pooling", "mean"));
        boolean normalize = p.optBoolean("normalize", true);
        Duration keepAlive = keepAlive(p);
        long start = System.nanoTime();
        try (SessionCache.Lease<Embedder> lease = service.embedder(modelId, keepAlive)) {
            Embedder.Result r = lease.get().embed(texts, pooling, normalize, service.embedBatchSize(), call.token());
            ObjectNode out = Json.object();
            out.put("modelId", modelId);
            out.put("dimensions", r.vectors().length == 0 ? 0 : r.vectors()[0].length);
            ArrayNode vectors = out.putArray("vectors");
            for (float[] v : r.vectors()) {
                ArrayNode a = vectors.addArray();
                for (float x : v) a.add(x);
            }
            out.put("provider", r.provider());
            out.put("tokens", r.tokens());
            out.set("truncated", Json.MAPPER.valueToTree(r.truncated()));
            out.put("maxTokens", lease.get().maxLength());
            out.put("millis", (System.nanoTime() - start) / 1_000_000);
            return out;
        }
    }

    private static List<String> texts(Params p, int max) {
        JsonNode n = p.get("texts");
        if (n.isNull()) throw RpcException.invalidParams("texts", "is required");
        if (!n.isArray()) throw RpcException.invalidParams("texts", "must be an array of strings");
        if (n.isEmpty()) throw RpcException.invalidParams("texts", "must not be empty");
        if (n.size() > max) throw RpcException.invalidParams("texts", "has " + n.size() + " entries; at most " + max + " per request");
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) throw RpcException.invalidParams("texts", "entry " + i + " is not a string");
            out.add(n.get(i).asText());
        }
        return out;
    }

    static ObjectNode list(InferenceService service) {
        ObjectNode out = Json.object();
        ArrayNode sessions = out.putArray("sessions");
        for (SessionCache.Info i : service.cache().list()) {
            ObjectNode s = sessions.addObject();
            s.put("modelId", i.modelId());
            s.put("provider", i.provider());
            s.put("bytes", i.bytes());
            s.put("loadedAt", i.loadedAt());
            s.put("lastUsed", i.lastUsed());
            s.put("keepAliveSeconds", i.keepAliveSeconds());
            s.put("inUse", i.inUse());
            s.put("leases", i.leases());
            if (i.expiresAt() != null) s.put("expiresAt", i.expiresAt());
        }
        out.put("budgetBytes", service.cache().budgetBytes());
        return out;
    }

    static ObjectNode unload(InferenceService service, RpcCall call) {
        String modelId = call.params().requireString("modelId");
        boolean unloaded = service.cache().unload(modelId);
        ObjectNode out = Json.object().put("modelId", modelId).put("unloaded", unloaded);
        if (!unloaded && service.cache().isLoaded(modelId)) out.put("pending", true);
        return out;
    }
}
