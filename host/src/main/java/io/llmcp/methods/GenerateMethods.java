package io.llmcp.methods;

import io.llmcp.failure.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.constrain.Grammar;
import io.llmcp.constrain.ResponseConstraint;
import io.llmcp.constrain.SchemaException;
import io.llmcp.inference.ChatModel;
import io.llmcp.inference.ContextWindow;
import io.llmcp.inference.GenerationResult;
import io.llmcp.inference.Generator;
import io.llmcp.inference.InferenceService;
import io.llmcp.inference.SamplingParams;
import io.llmcp.inference.SessionCache;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.RpcHandler;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code generate} namespace (docs/PROTOCOL.md): {@code {modelId, prompt | messages, params,
 * responseConstraint?}} → streamed {@code generate.token {requestId, text, tokenId}} notifications and the
 * {@link GenerationResult}.
 * Model loading, caching and chat templates live in inference; this class only needs a way to get a
 * {@link Target} for a model id ({@link #register} leases it from the session cache, loading it from the store
 * on first use and keeping it for the request's keep-alive; tests hand in their own). Many requests may
 * generate at once, each with its own KV state; the protocol never waits for them.
 */
public final class GenerateMethods implements RpcHandler {
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

    public GenerateMethods(Function<String, Target> models) {
        this.models = models;
    }

    /** Registers {@code generate} over the host's inference service (started by the first request). */
    public static void register(MethodRegistry methods, Supplier<InferenceService> inference) {
        methods.register("generate", call -> {
            Duration keepAlive = SessionsMethods.keepAlive(call.params());
            JsonNode tools = call.params().get("tools");
            return new GenerateMethods(modelId -> target(inference.get(), modelId, keepAlive, tools, call)).handle(call);
        });
    }

    /**
     * Leases the model; when this request has to load it, {@code generate.loading {modelId}} goes out first, so a
     * client can say "Loading model…" instead of showing a silent wait as a slow first token.
     */
    static Target target(InferenceService inference, String modelId, Duration keepAlive, JsonNode tools, RpcCall call) {
        SessionCache.Lease<ChatModel> lease = inference.lease(modelId, ChatModel.class, keepAlive, source -> {
            call.notify("generate.loading", Json.object().put("modelId", modelId));
            return ChatModel.load(inference.factory(), source, source.onnxPath());
        });
        return new Target() {
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
                if (tools != null && !tools.isNull()) extra.put("tools", Json.MAPPER.convertValue(tools, Object.class));
                return lease.get().renderChat(messages, extra);
            }

            @Override
            public void close() {
                lease.close();
            }
        };
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
        Grammar.Node grammar = responseConstraint(p.get("responseConstraint"));
        long leaseStart = System.nanoTime();
        try (Target target = models.apply(modelId)) {
            // Reported apart from timeToFirstTokenMs, which starts once the model is there: a cold request's wait
            // is mostly the load, and folding it into the first token would misstate the model's speed.
            double loadMs = (System.nanoTime() - leaseStart) / 1e6;
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
                    (delta, tokenId) -> call.notify("generate.token", Json.object().put("text", delta).put("tokenId", tokenId)),
                    ResponseConstraint.forGenerator(grammar, generator));
            var json = result.toJson();
            if (hasMessages) json.put("droppedMessages", prompt.droppedMessages());
            json.put("contextTokens", context);
            // The model's whole context (contextTokens may be smaller with numCtx): the page API's contextWindow.
            json.put("contextWindow", generator.spec().maxPositions());
            json.put("loadMs", Math.round(loadMs * 10) / 10.0);
            return json;
        }
    }

    /** The optional JSON Schema, compiled before any model loads so a bad one costs nothing. */
    static Grammar.Node responseConstraint(JsonNode schema) {
        try {
            return ResponseConstraint.parse(schema);
        } catch (SchemaException e) {
            // Called outside the interceptor chain too (tests, embedders), so coded here rather than left to it.
            throw Failures.domain(e);
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
        } catch (DomainException e) {
            throw prefixed(Failures.domain(e));
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
