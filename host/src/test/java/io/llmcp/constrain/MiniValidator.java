package io.llmcp.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/** A JSON Schema check for the subset the compiler supports, written independently of it (tests only). */
public final class MiniValidator {
    private MiniValidator() {
    }

    public static boolean valid(JsonNode schema, JsonNode v) {
        return valid(schema, v, schema);
    }

    private static boolean valid(JsonNode s, JsonNode v, JsonNode root) {
        if (s.isBoolean()) return s.asBoolean();
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            if (ref.equals("#")) return valid(root, v, root);
            String[] parts = ref.substring(2).split("/", 2);
            return valid(root.get(parts[0]).get(parts[1]), v, root);
        }
        if (s.has("const") && !s.get("const").equals(v)) return false;
        if (s.has("enum")) {
            boolean found = false;
            for (JsonNode e : s.get("enum")) found |= e.equals(v);
            if (!found) return false;
        }
        for (String k : new String[]{"anyOf", "oneOf"}) {
            if (s.has(k)) {
                int ok = 0;
                for (JsonNode o : s.get(k)) if (valid(o, v, root)) ok++;
                if (ok == 0 || k.equals("oneOf") && ok != 1) return false;
            }
        }
        JsonNode type = s.get("type");
        if (type != null) {
            boolean any = false;
            if (type.isArray()) for (JsonNode t : type) any |= typeOk(t.asText(), v);
            else any = typeOk(type.asText(), v);
            if (!any) return false;
        }
        if (v.isObject()) {
            Set<String> props = new HashSet<>();
            if (s.has("properties")) s.get("properties").fieldNames().forEachRemaining(props::add);
            if (s.has("required")) for (JsonNode r : s.get("required")) if (!v.has(r.asText())) return false;
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!props.contains(k)) {
                    if (s.has("additionalProperties") && s.get("additionalProperties").asBoolean(true)) continue;
                    if (!s.has("properties") && !s.has("additionalProperties")) continue;
                    return false;
                }
                if (!valid(s.get("properties").get(k), v.get(k), root)) return false;
            }
        }
        if (v.isArray()) {
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) return false;
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) return false;
            if (s.has("items")) for (JsonNode e : v) if (!valid(s.get("items"), e, root)) return false;
        }
        if (v.isTextual()) {
            int n = v.asText().codePointCount(0, v.asText().length());
            if (s.has("minLength") && n < s.get("minLength").asInt()) return false;
            if (s.has("maxLength") && n > s.get("maxLength").asInt()) return false;
        }
        return true;
    }

    private static boolean typeOk(String t, JsonNode v) {
        return switch (t) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> false;
        };
    }
}
