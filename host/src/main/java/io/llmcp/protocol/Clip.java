package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Shortens what an answer echoes back (a method name, a model id, a key the client sent) so a hostile
 * input can never push a frame over the cap: {@code "abc…(1572864 chars)"}.
 */
public final class Clip {
    /** What an error message or echoed field keeps of a long string. */
    public static final int ECHO_CHARS = 2048;

    private Clip() {
    }

    /** {@code s} itself when short, else its first {@code max} characters and how long it was. */
    public static String text(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int cut = max;
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) cut--; // never split a surrogate pair
        return s.substring(0, cut) + "…(" + s.length() + " chars)";
    }

    public static String text(String s) {
        return text(s, ECHO_CHARS);
    }

    /** A copy of {@code node} with every string (values and property names) shortened to {@code max} characters. */
    static JsonNode strings(JsonNode node, int max) {
        if (node == null) return null;
        if (node.isTextual()) {
            String t = node.asText();
            return t.length() <= max ? node : TextNode.valueOf(text(t, max));
        }
        if (node.isObject()) {
            ObjectNode out = Json.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(text(e.getKey(), max), strings(e.getValue(), max));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (JsonNode n : node) out.add(strings(n, max));
            return out;
        }
        return node;
    }
}
