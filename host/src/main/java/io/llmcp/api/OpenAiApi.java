package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.util.Map;
import java.util.UUID;

/**
 * OpenAI's API ({@code /v1/*}): models, chat completions, completions and embeddings with their request and
 * response shapes; Server-Sent Events when {@code stream: true}, ending with {@code data: [DONE]}; errors as
 * {@code {"error": {message, type, param, code}}}. Differences are in docs/API.md.
 */
final class OpenAiApi {
    private final EngineCalls engine;
    private final Generations gen;
    private final Catalog catalog;

    OpenAiApi(EngineCalls engine, ModelQueue queue) {
        this.engine = engine;
        this.gen = new Generations(engine, queue);
        this.catalog = new Catalog(engine);
    }

    void register(Map<String, ApiServer.Route> routes) {
        routes.put("GET /v1/models", this::models);
        routes.put("GET /v1/models/*", this::model);
        routes.put("POST /v1/chat/completions", this::chatCompletions);
        routes.put("POST /v1/completions", this::completions);
        routes.put("POST /v1/embeddings", this::embeddings);
    }

    static ObjectNode error(HttpCall.Refusal r) {
        ObjectNode e = Json.object();
        ObjectNode inner = e.putObject("error").put("message", r.getMessage()).put("type", r.type);
        inner.putNull("param");
        if (r.status == 404 && "model_not_found".equals(r.type)) {
            inner.put("type", "invalid_request_error").put("code", "model_not_found");
        } else {
            inner.putNull("code");
        }
        return e;
    }

    private static ObjectNode modelObject(Catalog.Entry e) {
        return Json.object().put("id", e.id()).put("object", "model").put("created", e.createdAt() / 1000).put("owned_by", "llmcp");
    }

    private void models(HttpCall call) throws Exception {
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (Catalog.Entry e : catalog.models()) data.add(modelObject(e));
        call.json(200, out);
    }

    private void model(HttpCall call) throws Exception {
        String id = java.net.URLDecoder.decode(call.path().substring("/v1/models/".length()), java.nio.charset.StandardCharsets.UTF_8);
        call.json(200, modelObject(catalog.find(id)));
    }

    private void chatCompletions(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        JsonNode in = body.path("messages");
        if (!in.isArray() || in.isEmpty()) throw HttpCall.Refusal.badRequest("'messages' must be a non-empty array");
        ObjectNode params = Json.object().put("modelId", model);
        ArrayNode messages = params.putArray("messages");
        for (JsonNode m : in) {
            if (!m.isObject() || !m.path("role").isTextual()) throw HttpCall.Refusal.badRequest("each message needs a 'role'");
            ObjectNode copy = ((ObjectNode) m).deepCopy();
            copy.put("role", "developer".equals(m.path("role").asText()) ? "system" : m.path("role").asText());
            copy.put("content", content(m.get("content")));
            messages.add(copy);
        }
        if (body.path("tools").isArray() && !body.path("tools").isEmpty()) params.set("tools", body.get("tools"));
        JsonNode schema = responseConstraint(body.path("response_format"));
        if (schema != null) params.set("responseConstraint", schema);
        complete(call, body, model, params, true);
    }

    private void completions(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        JsonNode prompt = body.get("prompt");
        String text;
        if (prompt != null && prompt.isTextual()) text = prompt.asText();
        else if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) text = prompt.get(0).asText();
        else throw HttpCall.Refusal.badRequest("'prompt' must be a string (or an array of one string)");
        if (body.path("echo").asBoolean(false)) throw OllamaApi.unsupported("echo");
        if (body.hasNonNull("suffix") && !body.get("suffix").asText().isEmpty()) throw OllamaApi.unsupported("suffix");
        if (body.path("best_of").asInt(1) != 1) throw OllamaApi.unsupported("best_of other than 1");
        ObjectNode params = Json.object().put("modelId", model).put("prompt", text);
        complete(call, body, model, params, false);
    }

    /** Both completion endpoints: sampling fields, then one answer or an SSE stream. */
    private void complete(HttpCall call, ObjectNode body, String model, ObjectNode params, boolean chat) throws Exception {
        if (body.path("n").asInt(1) != 1) throw OllamaApi.unsupported("n other than 1");
        if (body.path("logprobs").asBoolean(false) || body.path("logprobs").isInt()) throw OllamaApi.unsupported("logprobs");
        ObjectNode g = params.putObject("params");
        OllamaApi.copyNumber(body, "temperature", g, "temperature");
        OllamaApi.copyNumber(body, "top_p", g, "topP");
        OllamaApi.copyInt(body, "top_k", g, "topK");
        OllamaApi.copyNumber(body, "repetition_penalty", g, "repetitionPenalty");
        OllamaApi.copyInt(body, "seed", g, "seed");
        if (body.hasNonNull("max_completion_tokens")) OllamaApi.copyInt(body, "max_completion_tokens", g, "maxNewTokens");
        else OllamaApi.copyInt(body, "max_tokens", g, "maxNewTokens");
        if (body.hasNonNull("stop")) g.set("stop", body.get("stop"));
        boolean stream = body.path("stream").asBoolean(false);
        boolean usageChunk = stream && body.path("stream_options").path("include_usage").asBoolean(false);
        String id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        String object = chat ? "chat.completion.chunk" : "text_completion";
        Generations.Outcome o = gen.generate(params, !stream ? null : delta -> {
            if (!call.streaming()) start(call, id, object, created, model, chat, usageChunk);
            call.event(json(chunk(id, object, created, model, usageChunk, chat ? delta(delta) : null, chat ? null : delta, null)));
        });
        String finish = Generations.finishReason(o.finishReason());
        ObjectNode usage = Json.object().put("prompt_tokens", o.promptTokens()).put("completion_tokens", o.generatedTokens())
                .put("total_tokens", o.promptTokens() + o.generatedTokens());
        if (!stream) {
            ObjectNode out = Json.object().put("id", id).put("object", chat ? "chat.completion" : "text_completion")
                    .put("created", created).put("model", model);
            out.putNull("system_fingerprint");
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            if (chat) {
                ObjectNode msg = choice.putObject("message").put("role", "assistant").put("content", o.text());
                msg.putNull("refusal");
            } else {
                choice.put("text", o.text());
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", finish);
            out.set("usage", usage);
            call.json(200, out);
            return;
        }
        if (!call.streaming()) start(call, id, object, created, model, chat, usageChunk);
        call.event(json(chunk(id, object, created, model, usageChunk, chat ? Json.object() : null, chat ? null : "", finish)));
        if (usageChunk) {
            ObjectNode u = Json.object().put("id", id).put("object", object).put("created", created).put("model", model);
            u.putNull("system_fingerprint");
            u.putArray("choices");
            u.set("usage", usage);
            call.event(json(u));
        }
        call.event("[DONE]");
    }

    /** Opens the SSE stream; a chat stream's first chunk carries the assistant role. */
    private static void start(HttpCall call, String id, String object, long created, String model, boolean chat, boolean usage)
            throws HttpCall.ClientGone {
        call.startStream("text/event-stream; charset=utf-8");
        if (chat) {
            ObjectNode d = Json.object().put("role", "assistant").put("content", "");
            call.event(json(chunk(id, object, created, model, usage, d, null, null)));
        }
    }

    private static ObjectNode delta(String text) {
        return Json.object().put("content", text);
    }

    private static ObjectNode chunk(String id, String object, long created, String model, boolean usage, ObjectNode delta,
                                    String text, String finish) {
        ObjectNode c = Json.object().put("id", id).put("object", object).put("created", created).put("model", model);
        c.putNull("system_fingerprint");
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        if (delta != null) choice.set("delta", delta);
        else choice.put("text", text);
        choice.putNull("logprobs");
        if (finish == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finish);
        if (usage) c.putNull("usage");
        return c;
    }

    /** A message's content: a string, or the text parts of an array of parts; images are refused. */
    private static String content(JsonNode c) {
        if (c == null || c.isNull()) return "";
        if (c.isTextual()) return c.asText();
        if (!c.isArray()) throw HttpCall.Refusal.badRequest("message 'content' must be a string or an array of parts");
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : c) {
            String type = part.path("type").asText();
            if (!"text".equals(type)) throw OllamaApi.unsupported("content parts of type '" + type + "'");
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    private void embeddings(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        JsonNode input = body.get("input");
        ArrayNode texts = Json.MAPPER.createArrayNode();
        if (input != null && input.isTextual()) texts.add(input.asText());
        else if (input != null && input.isArray() && !input.isEmpty()) {
            for (JsonNode t : input) {
                if (!t.isTextual()) throw HttpCall.Refusal.badRequest("'input' must be a string or an array of strings (token arrays are not supported)");
                texts.add(t.asText());
            }
        } else throw HttpCall.Refusal.badRequest("'input' must be a string or a non-empty array of strings");
        String encoding = body.path("encoding_format").asText("float");
        if (!encoding.equals("float") && !encoding.equals("base64")) throw HttpCall.Refusal.badRequest("'encoding_format' must be float or base64");
        JsonNode r = gen.embed(model, texts, null);
        ObjectNode out = Json.object().put("object", "list");
        ArrayNode data = out.putArray("data");
        int i = 0;
        for (JsonNode v : r.path("vectors")) {
            JsonNode vec = Vectors.dimensions(v, body.get("dimensions"));
            ObjectNode d = data.addObject().put("object", "embedding").put("index", i++);
            if (encoding.equals("base64")) d.put("embedding", Vectors.base64(vec));
            else d.set("embedding", vec);
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", r.path("tokens").asInt()).put("total_tokens", r.path("tokens").asInt());
        call.json(200, out);
    }

    private static String json(JsonNode n) {
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * OpenAI's {@code response_format}: {@code json_schema} becomes generate's {@code responseConstraint}, so the
     * answer parses and validates against {@code json_schema.schema}. {@code json_object} (JSON of any shape) is
     * refused: no schema holds the answer to an end. Returns null for {@code text} or no format.
     */
    static JsonNode responseConstraint(JsonNode format) {
        if (format == null || !format.isObject()) return null;
        String type = format.path("type").asText("text");
        switch (type) {
            case "text":
                return null;
            case "json_schema": {
                JsonNode schema = format.path("json_schema").path("schema");
                if (!schema.isObject()) throw HttpCall.Refusal.badRequest("'response_format.json_schema.schema' must be a JSON Schema object");
                return schema;
            }
            case "json_object":
                throw OllamaApi.unsupported("response_format json_object (free-form JSON mode; use json_schema for structured output)");
            default:
                throw OllamaApi.unsupported("response_format " + type);
        }
    }
}
