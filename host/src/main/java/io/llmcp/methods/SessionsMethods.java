package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.InferenceService;
import io.llmcp.inference.SessionCache;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import java.time.Duration;
import java.util.function.Supplier;

/** The {@code sessions.*} namespace: which models inference holds in memory, and unloading one. */
public final class SessionsMethods {
    private SessionsMethods() {
    }

    public static void register(MethodRegistry methods, Supplier<InferenceService> inference) {
        methods.register("sessions.list", call -> list(inference.get()));
        methods.register("sessions.unload", call -> unload(inference.get(), call));
    }

    /** {@code keepAliveSeconds} of a request ({@code generate}, {@code embed}): null = the configured default; negative = forever. */
    public static Duration keepAlive(Params p) {
        if (!p.has("keepAliveSeconds")) return null;
        return Duration.ofSeconds(p.optLong("keepAliveSeconds", 0, Long.MIN_VALUE / 2_000_000_000L, 366L * 24 * 3600));
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
