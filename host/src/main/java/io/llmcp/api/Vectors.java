package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmcp.protocol.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** Embedding vectors as the APIs return them: shortened to {@code dimensions}, or base64 float32 for OpenAI. */
final class Vectors {
    private Vectors() {
    }

    /**
     * The vector, or its first {@code dimensions} values scaled back to unit length (what Ollama and OpenAI do
     * for a smaller {@code dimensions}); a larger value than the model has is a 400.
     */
    static JsonNode dimensions(JsonNode vector, JsonNode dimensions) {
        if (dimensions == null || dimensions.isNull()) return vector;
        if (!dimensions.canConvertToInt() || dimensions.asInt() < 1) throw HttpCall.Refusal.badRequest("'dimensions' must be a positive integer");
        int d = dimensions.asInt();
        if (d > vector.size()) throw HttpCall.Refusal.badRequest("'dimensions' " + d + " is more than the model's " + vector.size());
        if (d == vector.size()) return vector;
        double norm = 0;
        for (int i = 0; i < d; i++) norm += vector.get(i).asDouble() * vector.get(i).asDouble();
        norm = Math.sqrt(norm);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < d; i++) out.add(norm == 0 ? 0.0 : vector.get(i).asDouble() / norm);
        return out;
    }

    /** Little-endian float32 values, base64: OpenAI's {@code encoding_format: "base64"}. */
    static String base64(JsonNode vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode v : vector) b.putFloat((float) v.asDouble());
        return Base64.getEncoder().encodeToString(b.array());
    }
}
