package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.Embedder;
import io.llmcp.inference.InferenceService;
import io.llmcp.inference.SessionCache;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The {@code embed} namespace: vectors for texts, from a leased embedding model (built in or pulled). */
public final class EmbedMethods {
    private EmbedMethods() {
    }

    public static void register(MethodRegistry methods, Supplier<InferenceService> inference) {
        methods.register("embed", call -> embed(inference.get(), call));
    }

    static ObjectNode embed(InferenceService service, RpcCall call) {
        Params p = call.params();
        String modelId = p.requireString("modelId");
        List<String> texts = texts(p, service.maxEmbedTexts());
        Embedder.Pooling pooling = Embedder.Pooling.parse(p.optString("pooling", "mean"));
        boolean normalize = p.optBoolean("normalize", true);
        Duration keepAlive = SessionsMethods.keepAlive(p);
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

}
