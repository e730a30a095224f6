package io.llmcp.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.HostContext;
import io.llmcp.models.StoreModelSource;
import io.llmcp.protocol.MethodRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * {@code generate}: leases the model from the session cache (loading it from the store on first use, keeping
 * it for the request's keep-alive) and runs the generator. Many requests may generate at once, each with its
 * own KV state; the protocol never waits for them.
 */
public final class InferenceMethods {
    private InferenceMethods() {
    }

    public static void register(MethodRegistry registry, HostContext ctx) {
        registry.register("generate", call -> {
            Duration keepAlive = SessionMethods.keepAlive(call.params());
            JsonNode tools = call.params().get("tools");
            return new GenerateMethod(modelId -> target(ctx, modelId, keepAlive, tools)).handle(call);
        });
    }

    static GenerateMethod.Target target(HostContext ctx, String modelId, Duration keepAlive, JsonNode tools) {
        InferenceService inference = InferenceService.of(ctx);
        SessionCache.Lease<ChatModel> lease = inference.lease(modelId, ChatModel.class, keepAlive, source -> ChatModel.load(
                inference.factory(), source, source instanceof StoreModelSource s ? s.onnxPath() : "onnx/model.onnx"));
        return new GenerateMethod.Target() {
            @Override
            public Generator generator() {
                return lease.get().generator();
            }

            @Override
            public String renderChat(JsonNode messages) {
                return renderChat(messages, Map.of());
            }

            @Override
            public String renderChat(JsonNode messages, Map<String, Object> templateVars) {
                Map<String, Object> extra = new java.util.HashMap<>(templateVars);
                if (tools != null && !tools.isNull()) extra.put("tools", io.llmcp.protocol.Json.MAPPER.convertValue(tools, Object.class));
                return lease.get().renderChat(messages, extra);
            }

            @Override
            public void close() {
                lease.close();
            }
        };
    }
}
