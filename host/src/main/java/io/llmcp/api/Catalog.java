package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The models the API offers: the store's complete models ({@code models.list}) plus the built-in embedder. */
final class Catalog {
    /** The embedding model that ships in the jar (docs/PROTOCOL.md); {@code models.list} does not list it. */
    static final String BUILT_IN_EMBEDDER = "all-minilm-l6-v2";

    /** One model as the APIs describe it. */
    record Entry(String id, long size, long createdAt, String digest, boolean embedding, JsonNode record) {
    }

    private final EngineCalls engine;

    Catalog(EngineCalls engine) {
        this.engine = engine;
    }

    List<Entry> models() throws EngineCalls.Failure {
        List<Entry> out = new ArrayList<>();
        for (JsonNode m : engine.call("models.list", null).path("models")) {
            if (!m.path("complete").asBoolean()) continue;
            out.add(new Entry(m.path("modelId").asText(), m.path("size").asLong(), m.path("createdAt").asLong(),
                    digest(m), false, m));
        }
        out.add(new Entry(BUILT_IN_EMBEDDER, 0, 0, sha256Hex(BUILT_IN_EMBEDDER), true, Json.object()));
        return out;
    }

    /** The model called {@code name} (an Ollama-style {@code :latest} tag is ignored), or a 404. */
    Entry find(String name) throws EngineCalls.Failure {
        String id = modelId(name);
        for (Entry e : models()) if (e.id().equals(id)) return e;
        throw new HttpCall.Refusal(404, "model_not_found", "model '" + name + "' not found, try pulling it first");
    }

    /** Ollama clients may add the default tag: {@code tiny:latest} is {@code tiny}. */
    static String modelId(String name) {
        return name.endsWith(":latest") ? name.substring(0, name.length() - ":latest".length()) : name;
    }

    /** The model file's SHA-256 when known, else one over all its files' hashes. */
    private static String digest(JsonNode m) {
        String modelFile = m.path("config").path("modelFileName").asText("onnx/model.onnx");
        StringBuilder all = new StringBuilder();
        for (JsonNode f : m.path("files")) {
            if (f.path("path").asText().equals(modelFile)) return f.path("sha256").asText();
            all.append(f.path("sha256").asText());
        }
        return sha256Hex(all.toString());
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ollama's {@code details}: what we know of an ONNX model. */
    static ObjectNode details(Entry e) {
        ObjectNode d = Json.object().put("parent_model", "").put("format", "onnx");
        String family = e.embedding() ? "bert" : e.record().path("config").path("modelType").asText("");
        d.put("family", family);
        d.putNull("families");
        d.put("parameter_size", "").put("quantization_level", "");
        return d;
    }
}
