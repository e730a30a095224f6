package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed access to a request's params. Every accessor names the field in its -32602 error, so a caller
 * learns exactly what to fix.
 */
public final class Params {
    private final JsonNode node;

    public Params(JsonNode node) {
        this.node = node == null || node.isNull() || node.isMissingNode() ? Json.object() : node;
    }

    public JsonNode raw() {
        return node;
    }

    public ObjectNode object() {
        if (!node.isObject()) throw RpcException.invalidParams("params", "must be an object");
        return (ObjectNode) node;
    }

    public boolean has(String field) {
        JsonNode v = object().get(field);
        return v != null && !v.isNull();
    }

    public JsonNode get(String field) {
        JsonNode v = object().get(field);
        return v == null ? NullNode.instance : v;
    }

    public String requireString(String field) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) throw RpcException.invalidParams(field, "is required");
        if (!v.isTextual()) throw RpcException.invalidParams(field, "must be a string");
        if (v.asText().isEmpty()) throw RpcException.invalidParams(field, "must not be empty");
        return v.asText();
    }

    public String optString(String field, String fallback) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isTextual()) throw RpcException.invalidParams(field, "must be a string");
        return v.asText();
    }

    public long optLong(String field, long fallback, long min, long max) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) return fallback;
        long x = exactLong(v, field);
        if (x < min || x > max) throw RpcException.invalidParams(field, "must be between " + min + " and " + max);
        return x;
    }

    /**
     * {@code v} as a long, exactly: a non-integer, or an integer past 64 bits (which {@code asLong} would wrap),
     * is refused naming {@code field}.
     */
    public static long exactLong(JsonNode v, String field) {
        if (!v.isIntegralNumber()) throw RpcException.invalidParams(field, "must be an integer");
        if (!v.canConvertToLong()) throw RpcException.invalidParams(field, "is out of range (more than 64 bits)");
        return v.asLong();
    }

    public int optInt(String field, int fallback, int min, int max) {
        return (int) optLong(field, fallback, min, max);
    }

    public double optDouble(String field, double fallback, double min, double max) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isNumber()) throw RpcException.invalidParams(field, "must be a number");
        double x = v.asDouble();
        if (!(x >= min && x <= max)) throw RpcException.invalidParams(field, "must be between " + min + " and " + max);
        return x;
    }

    public boolean optBoolean(String field, boolean fallback) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw RpcException.invalidParams(field, "must be true or false");
        return v.asBoolean();
    }

    public ObjectNode requireObject(String field) {
        JsonNode v = object().get(field);
        if (v == null || v.isNull()) throw RpcException.invalidParams(field, "is required");
        if (!v.isObject()) throw RpcException.invalidParams(field, "must be an object");
        return (ObjectNode) v;
    }

    /** Binds the whole params object to {@code type}; a binding failure names the field. */
    public <T> T bind(Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(object(), type);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "params" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw RpcException.invalidParams(field == null ? "params" : field, "has the wrong type");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RpcException.invalidParams("params", e.getOriginalMessage());
        }
    }
}
