package io.llmcp.failure;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds a {@link DomainException}'s details in order; unlike {@code Map.of}, a value may be null (it is sent as null). */
public final class Details {
    private Details() {
    }

    public static Map<String, Object> of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("details come in key, value pairs");
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return out;
    }
}
