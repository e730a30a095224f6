package io.llmcp.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns request data (Jackson trees or plain Java maps/lists) into the values a template sees: ordered
 * mutable {@link LinkedHashMap}s (key order is what {@code tojson} and {@code items()} print), {@link ArrayList}s,
 * {@code String}, {@code Long} / {@code Double}, {@code Boolean} and {@link PyNone}. Copying also means a template's
 * {@code append} or {@code set} can never change the caller's objects.
 */
public final class TemplateValues {
    private TemplateValues() {
    }

    public static Object fromJson(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (node.isNull()) {
            return PyNone.INSTANCE;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(fromJson(item)));
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), fromJson(e.getValue()));
            }
            return map;
        }
        return node.asText();
    }

    /** Deep copy of plain Java data (null becomes None); other objects (and JsonNodes, converted) pass through. */
    public static Object copy(Object value) {
        if (value == null) {
            return PyNone.INSTANCE;
        }
        if (value instanceof JsonNode node) {
            return fromJson(node);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        if (value instanceof Object[] array) {
            List<Object> copy = new ArrayList<>(array.length);
            for (Object item : array) {
                copy.add(copy(item));
            }
            return copy;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }
}
