package io.llmcp.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.RpcHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code generate} protocol method (docs/PROTOCOL.md): {@code {modelId, prompt | messages, params}} →
 * streamed {@code generate.token {requestId, text, tokenId}} notifications and the {@link GenerationResult}.
 * Model loading, caching and chat templates live elsewhere; this class only needs a way to get a
 * {@link Target} for a model id, so wiring is one line:
 * {@code registry.register("generate", new GenerateMethod(id -> runtime.generationTarget(id)))}.
 */
public final class GenerateMethod implements RpcHandler {
    /** A loaded model, leased for one request: {@link #close()} hands it back to the session cache. */
    public interface Target extends AutoCloseable {
        Generator generator();

        /** Renders chat {@code messages} with the model's chat template, ending with the assistant's turn. */
        String renderChat(JsonNode messages);

        /** As {@link #renderChat(JsonNode)} with further template variables (e.g. {@code enable_thinking}). */
        default String renderChat(JsonNode messages, Map<String, Object> templateVars) {
            return renderChat(messages);
        }

        @Override
        default void close() {
        }
    }

    private final Function<String, Target> models;

    public GenerateMethod(Function<String, Target> models) {
        this.models = models;
    }

    @Override
    public JsonNode handle(RpcCall call) {
        Params p = call.params();
        String modelId = p.requireString("modelId");
        boolean hasPrompt = p.has("prompt");
        boolean hasMessages = p.has("messages");
        if (hasPrompt == hasMessages) throw RpcException.invalidParams("prompt", "give exactly one of 'prompt' and 'messages'");
        if (hasPrompt && !p.get("prompt").isTextual()) throw RpcException.invalidParams("prompt", "must be a string");
        if (hasMessages && (!p.get("messages").isArray() || p.get("messages").isEmpty())) {
            throw RpcException.invalidParams("messages", "must be a non-empty array of {role, content}");
        }
        SamplingParams sampling = samplingParams(p.get("params"));
        ContextWindow.Policy policy = ContextWindow.Policy.parse(p.get("contextPolicy"));
        Integer numCtx = p.get("params") != null && p.get("params").isObject() ? integer(p.get("params"), "numCtx") : null;
        JsonNode thinking = p.get("enableThinking");
        if (thinking != null && !thinking.isNull() && !thinking.isBoolean()) {
            throw RpcException.invalidParams("enableThinking", "must be a boolean");
        }
        try (Target target = models.apply(modelId)) {
            Generator generator = target.generator();
            int context = numCtx != null && numCtx > 1 ? Math.min(numCtx, generator.spec().maxPositions())
                    : generator.spec().maxPositions();
            ContextWindow.Fitted prompt;
            if (hasPrompt) {
                prompt = new ContextWindow.Fitted(generator.tokenizer().encodePrompt(p.get("prompt").asText()), 0, context);
            } else {
                Map<String, Object> vars = thinking == null || thinking.isNull() ? Map.of()
                        : Map.of("enable_thinking", thinking.asBoolean());
                int answer = sampling.orDefaults(generator.spec().defaults()).maxNewTokens();
                prompt = ContextWindow.fit(p.get("messages"), m -> target.renderChat(m, vars),
                        generator.tokenizer()::encode, context, ContextWindow.reserve(answer, context), policy);
            }
            GenerationResult result = generator.generate(prompt.ids(), sampling, context, call.token(),
                    (delta, tokenId) -> call.notify("generate.token", Json.object().put("text", delta).put("tokenId", tokenId)));
            var json = result.toJson();
            if (hasMessages) json.put("droppedMessages", prompt.droppedMessages());
            json.put("contextTokens", context);
            return json;
        }
    }

    /** The optional {@code params} object; every problem names its field as {@code params.<name>}. */
    static SamplingParams samplingParams(JsonNode node) {
        if (node == null || node.isNull()) return SamplingParams.none();
        if (!node.isObject()) throw RpcException.invalidParams("params", "must be an object");
        List<String> stop = new ArrayList<>();
        JsonNode s = node.get("stop");
        if (s != null && !s.isNull()) {
            if (s.isTextual()) {
                stop.add(s.asText());
            } else if (s.isArray()) {
                for (JsonNode e : s) {
                    if (!e.isTextual()) throw RpcException.invalidParams("params.stop", "must be strings");
                    stop.add(e.asText());
                }
            } else {
                throw RpcException.invalidParams("params.stop", "must be a string or an array of strings");
            }
        }
        try {
            return new SamplingParams(integer(node, "maxNewTokens"), number(node, "temperature"), integer(node, "topK"),
                    number(node, "topP"), number(node, "repetitionPenalty"),
                    node.hasNonNull("seed") ? longValue(node, "seed") : null, stop);
        } catch (RpcException e) {
            throw prefixed(e);
        }
    }

    private static RpcException prefixed(RpcException e) {
        String field = e.data() != null && e.data().has("field") ? e.data().get("field").asText() : null;
        if (field == null || field.startsWith("params.")) return e;
        return RpcException.invalidParams("params." + field, e.getMessage().replaceFirst("^invalid params: '[^']*' ", ""));
    }

    private static Integer integer(JsonNode node, String field) {
        if (!node.hasNonNull(field)) return null;
        long v = longValue(node, field);
        if (v < 0 || v > Integer.MAX_VALUE) throw RpcException.invalidParams("params." + field, "is out of range");
        return (int) v;
    }

    private static long longValue(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return io.llmcp.protocol.Params.exactLong(v, "params." + field);
    }

    private static Double number(JsonNode node, String field) {
        if (!node.hasNonNull(field)) return null;
        JsonNode v = node.get(field);
        if (!v.isNumber()) throw RpcException.invalidParams("params." + field, "must be a number");
        return v.asDouble();
    }
}
