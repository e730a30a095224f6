package io.llmcp.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns request data (plain Java maps/lists, such as Jackson databind reads JSON into {@code Object}) into the values
 * a template sees: ordered mutable {@link LinkedHashMap}s (key order is what {@code tojson} and {@code items()}
 * print), {@link ArrayList}s, {@code String}, {@code Long} / {@code Double}, {@code Boolean} and {@link PyNone}.
 * Copying also means a template's {@code append} or {@code set} can never change the caller's objects.
 */
public final class TemplateValues {
    private TemplateValues() {
    }

    /**
     * Deep copy of plain Java data (null becomes None, Integer becomes Long, Float becomes Double); other objects
     * pass through. JSON trees are not accepted: the edge converts them first (databind's {@code Object} form keeps
     * key order and number types, which is what {@code tojson} prints).
     */
    public static Object copy(Object value) {
        if (value == null) {
            return PyNone.INSTANCE;
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
