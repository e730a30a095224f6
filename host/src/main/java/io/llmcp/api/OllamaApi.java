package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Ollama's REST API ({@code /api/*}) with its request and response shapes: NDJSON streams by default,
 * {@code stream:false} for one answer, {@code {"error": "..."}} for errors. Differences are in docs/API.md.
 */
final class OllamaApi {
    private final EngineCalls engine;
    private final Generations gen;
    private final Catalog catalog;

    OllamaApi(EngineCalls engine, ModelQueue queue) {
        this.engine = engine;
        this.gen = new Generations(engine, queue);
        this.catalog = new Catalog(engine);
    }

    void register(Map<String, ApiServer.Route> routes) {
        routes.put("GET /", this::root);
        routes.put("GET /api/version", this::version);
        routes.put("GET /api/tags", this::tags);
        routes.put("POST /api/show", this::show);
        routes.put("GET /api/ps", this::ps);
        routes.put("POST /api/pull", this::pull);
        routes.put("DELETE /api/delete", this::delete);
        routes.put("POST /api/generate", this::generate);
        routes.put("POST /api/chat", this::chat);
        routes.put("POST /api/embed", this::embed);
        routes.put("POST /api/embeddings", this::embeddings);
    }

    /** Clients probe the root for this exact text before anything else. */
    private void root(HttpCall call) throws Exception {
        call.text(200, "Ollama is running");
    }

    private void version(HttpCall call) throws Exception {
        call.json(200, Json.object().put("version", engine.call("host.info", null).path("version").asText()));
    }

    private void tags(HttpCall call) throws Exception {
        ObjectNode out = Json.object();
        ArrayNode models = out.putArray("models");
        for (Catalog.Entry e : catalog.models()) {
            ObjectNode m = models.addObject().put("name", e.id()).put("model", e.id())
                    .put("modified_at", time(e.createdAt())).put("size", e.size()).put("digest", e.digest());
            m.set("details", Catalog.details(e));
        }
        call.json(200, out);
    }

    private void show(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String name = body.hasNonNull("model") ? body.get("model").asText() : body.path("name").asText("");
        if (name.isBlank()) throw HttpCall.Refusal.badRequest("'model' is required");
        Catalog.Entry e = catalog.find(name);
        ObjectNode out = Json.object().put("license", "").put("modelfile", "# llmcp model " + e.id()
                + (e.record().path("config").has("url") ? " from " + e.record().path("config").path("url").asText() : ""))
                .put("parameters", "").put("template", "");
        out.set("details", Catalog.details(e));
        ObjectNode info = out.putObject("model_info");
        info.put("general.architecture", Catalog.details(e).path("family").asText());
        out.putArray("capabilities").add(e.embedding() ? "embedding" : "completion");
        out.put("modified_at", time(e.createdAt()));
        call.json(200, out);
    }

    private void ps(HttpCall call) throws Exception {
        ObjectNode out = Json.object();
        ArrayNode models = out.putArray("models");
        JsonNode sessions = engine.call("sessions.list", null).path("sessions");
        for (JsonNode s : sessions) {
            String id = s.path("modelId").asText();
            ObjectNode m = models.addObject().put("name", id).put("model", id).put("size", s.path("bytes").asLong())
                    .put("digest", Catalog.sha256Hex(id));
            m.set("details", Json.object().put("parent_model", "").put("format", "onnx").put("family", "")
                    .putNull("families").put("parameter_size", "").put("quantization_level", ""));
            long expires = s.path("expiresAt").asLong(0);
            // In use, or kept until unloaded: Ollama shows a far-off time then.
            m.put("expires_at", expires > 0 ? time(expires) : "2318-01-01T00:00:00Z");
            m.put("size_vram", "CUDA".equals(s.path("provider").asText()) ? s.path("bytes").asLong() : 0);
        }
        call.json(200, out);
    }

    private void pull(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = body.hasNonNull("model") ? body.get("model").asText() : body.path("name").asText("");
        if (model.isBlank()) throw HttpCall.Refusal.badRequest("'model' is required: a repository URL, or the id of a model to resume");
        boolean stream = body.path("stream").asBoolean(true);
        ObjectNode config = pullConfig(model, body);
        ObjectNode params = Json.object();
        params.set("config", config);
        EngineCalls.Call pull = engine.start("models.pull", params);
        HttpCall.ClientGone[] gone = new HttpCall.ClientGone[1];
        if (stream) {
            call.startStream("application/x-ndjson");
            call.line(Json.object().put("status", "pulling manifest"));
        }
        JsonNode result;
        try {
            result = pull.run((method, note) -> {
                if (!stream || gone[0] != null || !"models.progress".equals(method)) return;
                ObjectNode line = progressLine(note);
                if (line == null) return;
                try {
                    call.line(line);
                } catch (HttpCall.ClientGone g) {
                    gone[0] = g;
                    pull.clientGone();
                }
            });
        } catch (EngineCalls.Failure f) {
            if (gone[0] != null) throw gone[0];
            throw Generations.refusal(f);
        }
        if (stream) {
            call.line(Json.object().put("status", "verifying sha256 digest"));
            call.line(Json.object().put("status", "writing manifest"));
            call.line(Json.object().put("status", "success").put("model", result.path("modelId").asText()));
        } else {
            call.json(200, Json.object().put("status", "success").put("model", result.path("modelId").asText()));
        }
    }

    /**
     * {@code model} is a Hugging Face-style repository URL (the model id then comes from {@code id}, else the
     * repository name), or the id of a model already in the store (its download resumes or is checked again).
     */
    private ObjectNode pullConfig(String model, ObjectNode body) throws Exception {
        if (model.startsWith("http://") || model.startsWith("https://")) {
            String id = body.hasNonNull("id") ? body.get("id").asText() : idFromUrl(model);
            ObjectNode config = Json.object().put("modelId", id).put("url", model);
            if (body.hasNonNull("model_file")) config.put("modelFileName", body.get("model_file").asText());
            return config;
        }
        String id = Catalog.modelId(model);
        for (JsonNode m : engine.call("models.list", null).path("models")) {
            if (m.path("modelId").asText().equals(id) && m.path("config").isObject()) return ((ObjectNode) m.get("config")).deepCopy();
        }
        throw new HttpCall.Refusal(404, "model_not_found", "pull '" + model + "': llmcp pulls from a repository URL "
                + "(e.g. https://huggingface.co/ORG/REPO/resolve/main/, with optional \"id\" and \"model_file\"), "
                + "or resumes a model already in the store; there is no model registry of names");
    }

    static String idFromUrl(String url) {
        String[] parts = URI.create(url).getPath().split("/");
        for (int i = 1; i < parts.length; i++) if (parts[i].equals("resolve")) return parts[i - 1];
        for (int i = parts.length - 1; i >= 0; i--) if (!parts[i].isEmpty() && !parts[i].contains(".")) return parts[i];
        throw HttpCall.Refusal.badRequest("cannot derive a model id from " + url + "; pass \"id\"");
    }

    private static ObjectNode progressLine(JsonNode p) {
        String state = p.path("state").asText();
        String path = p.path("path").asText();
        return switch (state) {
            case "queued", "downloading", "done", "linked" -> Json.object().put("status", "pulling " + path)
                    .put("digest", path).put("total", p.path("bytesTotal").asLong())
                    .put("completed", "queued".equals(state) ? 0 : p.path("bytesDone").asLong());
            case "failed" -> Json.object().put("error", p.path("error").path("message").asText("download failed"));
            default -> null;
        };
    }

    private void delete(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String name = body.hasNonNull("model") ? body.get("model").asText() : body.path("name").asText("");
        if (name.isBlank()) throw HttpCall.Refusal.badRequest("'model' is required");
        JsonNode r = engine.call("models.delete", Json.object().put("modelId", Catalog.modelId(name)));
        if (!r.path("deleted").asBoolean()) throw new HttpCall.Refusal(404, "model_not_found", "model '" + name + "' not found");
        call.empty(200);
    }

    private void generate(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        refuseUnsupported(body);
        if (body.hasNonNull("suffix") && !body.get("suffix").asText().isEmpty()) throw unsupported("suffix (fill-in-the-middle)");
        if (body.hasNonNull("template") && !body.get("template").asText().isEmpty()) throw unsupported("template (the model's own chat template is used)");
        Long keepAlive = Generations.keepAliveSeconds(body.get("keep_alive"));
        String prompt = body.path("prompt").asText("");
        if (prompt.isEmpty()) {
            loadOrUnload(call, model, keepAlive, false);
            return;
        }
        ObjectNode params = Json.object().put("modelId", Catalog.modelId(model));
        if (body.path("raw").asBoolean(false)) {
            params.put("prompt", prompt);
        } else {
            ArrayNode messages = params.putArray("messages");
            if (body.hasNonNull("system")) messages.addObject().put("role", "system").put("content", body.get("system").asText());
            messages.addObject().put("role", "user").put("content", prompt);
        }
        run(call, body, model, params, keepAlive, false);
    }

    private void chat(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        refuseUnsupported(body);
        Long keepAlive = Generations.keepAliveSeconds(body.get("keep_alive"));
        JsonNode in = body.path("messages");
        if (!in.isArray() || in.isEmpty()) {
            loadOrUnload(call, model, keepAlive, true);
            return;
        }
        ObjectNode params = Json.object().put("modelId", Catalog.modelId(model));
        ArrayNode messages = params.putArray("messages");
        for (JsonNode m : in) {
            if (!m.isObject() || !m.path("role").isTextual()) throw HttpCall.Refusal.badRequest("each message needs a 'role' and 'content'");
            if (m.path("images").isArray() && !m.path("images").isEmpty()) throw unsupported("images");
            ObjectNode copy = ((ObjectNode) m).deepCopy();
            copy.remove("images");
            copy.remove("thinking");
            if (!copy.has("content")) copy.put("content", "");
            messages.add(copy);
        }
        if (body.path("tools").isArray() && !body.path("tools").isEmpty()) params.set("tools", body.get("tools"));
        run(call, body, model, params, keepAlive, true);
    }

    private void run(HttpCall call, ObjectNode body, String model, ObjectNode params, Long keepAlive, boolean chat) throws Exception {
        params.set("params", sampling(body.path("options")));
        JsonNode schema = responseConstraint(body.get("format"));
        if (schema != null) params.set("responseConstraint", schema);
        if (keepAlive != null) params.put("keepAliveSeconds", keepAlive);
        boolean stream = body.path("stream").asBoolean(true);
        Generations.Outcome o = gen.generate(params, !stream ? null : delta -> {
            if (!call.streaming()) call.startStream("application/x-ndjson");
            call.line(chunk(model, chat, delta).put("done", false));
        });
        ObjectNode last = chunk(model, chat, stream ? "" : o.text()).put("done", true)
                .put("done_reason", Generations.finishReason(o.finishReason()))
                .put("total_duration", o.totalNanos()).put("load_duration", 0)
                .put("prompt_eval_count", o.promptTokens()).put("prompt_eval_duration", o.promptNanos())
                .put("eval_count", o.generatedTokens()).put("eval_duration", o.totalNanos() - o.promptNanos());
        if (!stream) {
            call.json(200, last);
            return;
        }
        if (!call.streaming()) call.startStream("application/x-ndjson");
        call.line(last);
    }

    private static ObjectNode chunk(String model, boolean chat, String text) {
        ObjectNode c = Json.object().put("model", model).put("created_at", Instant.now().toString());
        if (chat) c.putObject("message").put("role", "assistant").put("content", text);
        else c.put("response", text);
        return c;
    }

    /** An empty prompt loads the model (a no-op here: it loads on first use) or, with keep_alive 0, unloads it. */
    private void loadOrUnload(HttpCall call, String model, Long keepAlive, boolean chat) throws Exception {
        Catalog.Entry e = catalog.find(model);
        String reason = "load";
        if (keepAlive != null && keepAlive == 0) {
            engine.call("sessions.unload", Json.object().put("modelId", e.id()));
            reason = "unload";
        }
        call.json(200, chunk(model, chat, "").put("done", true).put("done_reason", reason));
    }

    /** Ollama's {@code options} as the engine's {@code generate.params}. */
    static ObjectNode sampling(JsonNode options) {
        ObjectNode g = Json.object();
        if (!options.isObject()) return g;
        copyNumber(options, "temperature", g, "temperature");
        copyNumber(options, "top_p", g, "topP");
        copyNumber(options, "repeat_penalty", g, "repetitionPenalty");
        copyInt(options, "top_k", g, "topK");
        copyInt(options, "seed", g, "seed");
        copyInt(options, "num_ctx", g, "numCtx");
        if (options.hasNonNull("num_predict")) {
            long n = options.get("num_predict").asLong();
            if (n == 0) throw HttpCall.Refusal.badRequest("options.num_predict must not be 0");
            g.put("maxNewTokens", n < 0 ? 1_000_000 : n); // -1: until the model stops or its context is full
        }
        if (options.hasNonNull("stop")) g.set("stop", options.get("stop"));
        return g;
    }

    static void copyNumber(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v == null || v.isNull()) return;
        if (!v.isNumber()) throw HttpCall.Refusal.badRequest("'" + name + "' must be a number");
        to.put(as, v.asDouble());
    }

    static void copyInt(JsonNode from, String name, ObjectNode to, String as) {
        JsonNode v = from.get(name);
        if (v == null || v.isNull()) return;
        if (!v.isNumber()) throw HttpCall.Refusal.badRequest("'" + name + "' must be an integer");
        to.put(as, v.asLong());
    }

    private static void refuseUnsupported(ObjectNode body) {
        responseConstraint(body.get("format")); // refused before any work when it cannot be honoured
        if (body.path("images").isArray() && !body.path("images").isEmpty()) throw unsupported("images");
    }

    /**
     * Ollama's {@code format}: a JSON Schema becomes generate's {@code responseConstraint} (the host constrains
     * sampling so the answer parses and validates). Free-form JSON mode ({@code "json"}) has no schema to hold the
     * answer to: a grammar for "any JSON" would let the model write an endless object, so it is refused, naming
     * the way that works. Returns null when there is no format.
     */
    static JsonNode responseConstraint(JsonNode format) {
        if (format == null || format.isNull() || (format.isTextual() && format.asText().isEmpty())) return null;
        if (format.isObject()) return format;
        if (format.isTextual() && format.asText().equals("json")) {
            throw unsupported("format \"json\" (free-form JSON mode; pass a JSON Schema as format for structured output)");
        }
        throw HttpCall.Refusal.badRequest("'format' must be a JSON Schema object (or \"json\")");
    }

    static HttpCall.Refusal unsupported(String what) {
        return HttpCall.Refusal.badRequest(what + " is not supported yet");
    }

    private void embed(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        JsonNode input = body.get("input");
        ArrayNode texts = Json.MAPPER.createArrayNode();
        if (input != null && input.isTextual()) texts.add(input.asText());
        else if (input != null && input.isArray()) {
            for (JsonNode t : input) {
                if (!t.isTextual()) throw HttpCall.Refusal.badRequest("'input' must be a string or an array of strings");
                texts.add(t.asText());
            }
        } else throw HttpCall.Refusal.badRequest("'input' must be a string or an array of strings");
        long start = System.nanoTime();
        JsonNode r = texts.isEmpty() ? Json.object() : gen.embed(Catalog.modelId(model), texts, Generations.keepAliveSeconds(body.get("keep_alive")));
        if (!body.path("truncate").asBoolean(true) && !r.path("truncated").isEmpty()) {
            throw HttpCall.Refusal.badRequest("input length exceeds the context length (" + r.path("maxTokens").asInt() + " tokens)");
        }
        ObjectNode out = Json.object().put("model", model);
        ArrayNode vectors = out.putArray("embeddings");
        for (JsonNode v : r.path("vectors")) vectors.add(Vectors.dimensions(v, body.get("dimensions")));
        out.put("total_duration", System.nanoTime() - start).put("load_duration", 0).put("prompt_eval_count", r.path("tokens").asInt());
        call.json(200, out);
    }

    /** The older single-text endpoint: {@code {model, prompt}} → {@code {embedding}}. */
    private void embeddings(HttpCall call) throws Exception {
        ObjectNode body = call.json();
        String model = ApiServer.modelOrRefuse(body, "model");
        String prompt = body.path("prompt").asText("");
        ObjectNode out = Json.object();
        if (prompt.isEmpty()) {
            out.putArray("embedding");
        } else {
            JsonNode r = gen.embed(Catalog.modelId(model), Json.MAPPER.createArrayNode().add(prompt),
                    Generations.keepAliveSeconds(body.get("keep_alive")));
            out.set("embedding", r.path("vectors").path(0));
        }
        call.json(200, out);
    }

    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
