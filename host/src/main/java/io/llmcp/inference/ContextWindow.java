package io.llmcp.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fits a conversation into the model's context, like Ollama's {@code num_ctx} truncation or LM Studio's rolling
 * window: when the rendered chat plus room for the answer does not fit, the oldest turns go first. The leading
 * system (or developer) messages and the last user message with everything after it are always kept, and after a
 * drop the conversation again starts with a user turn, so templates that insist on alternating roles still
 * render. With {@link Policy#ERROR} nothing is dropped and a prompt that does not fit is an invalid-params error.
 */
public final class ContextWindow {
    public enum Policy {
        /** Drop the oldest turns (the default). */
        DROP_OLDEST("dropOldest"),
        /** Refuse a prompt that does not fit (-32602). */
        ERROR("error");

        private final String wire;

        Policy(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Policy parse(JsonNode node) {
            if (node == null || node.isNull()) return DROP_OLDEST;
            if (node.isTextual()) {
                String v = node.asText().toLowerCase(Locale.ROOT);
                for (Policy p : values()) if (p.wire.toLowerCase(Locale.ROOT).equals(v)) return p;
            }
            throw InferenceException.invalidInput("contextPolicy", "must be \"dropOldest\" or \"error\"");
        }
    }

    /**
     * The prompt that will run.
     *
     * @param droppedMessages how many of the request's messages were left out
     * @param contextTokens   the context the prompt was fitted to
     */
    public record Fitted(long[] ids, int droppedMessages, int contextTokens) {
    }

    private ContextWindow() {
    }

    /** Room kept for the answer: the answer's token budget, but at most a quarter of the context. */
    public static int reserve(int maxNewTokens, int context) {
        return Math.max(1, Math.min(maxNewTokens, context / 4));
    }

    /**
     * @param render  renders a list of messages to the prompt text (the chat template, with the generation prompt)
     * @param encode  the prompt text's ids (no special tokens added: the template writes them)
     */
    public static Fitted fit(JsonNode messages, Function<JsonNode, String> render, Function<String, long[]> encode,
                             int context, int reserve, Policy policy) {
        List<JsonNode> kept = new ArrayList<>();
        messages.forEach(kept::add);
        int dropped = 0;
        while (true) {
            long[] ids = encode.apply(render.apply(array(kept)));
            if (policy == Policy.ERROR || ids.length + reserve <= context) return check(ids, dropped, context);
            int first = firstDroppable(kept);
            if (first < 0) return check(ids, dropped, context);
            kept.remove(first);
            dropped++;
            // The kept conversation starts with a user turn again (an orphaned answer or tool result goes too).
            while (first < lastUser(kept) && !"user".equals(role(kept.get(first)))) {
                kept.remove(first);
                dropped++;
            }
        }
    }

    private static Fitted check(long[] ids, int dropped, int context) {
        if (ids.length >= context) {
            throw InferenceException.invalidInput("messages", "the prompt has " + ids.length + " tokens; the model's context holds "
                    + context + " including the answer" + (dropped > 0 ? " (after dropping " + dropped + " earlier messages)" : ""));
        }
        return new Fitted(ids, dropped, context);
    }

    /** The oldest message that is neither a leading system message nor part of the last user turn; -1 if none. */
    private static int firstDroppable(List<JsonNode> kept) {
        int start = 0;
        while (start < kept.size() && isSystem(kept.get(start))) start++;
        return start < lastUser(kept) ? start : -1;
    }

    private static int lastUser(List<JsonNode> kept) {
        for (int i = kept.size() - 1; i >= 0; i--) if ("user".equals(role(kept.get(i)))) return i;
        return kept.size() - 1;
    }

    private static boolean isSystem(JsonNode m) {
        String r = role(m);
        return "system".equals(r) || "developer".equals(r);
    }

    private static String role(JsonNode m) {
        return m.path("role").asText("");
    }

    private static ArrayNode array(List<JsonNode> list) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        list.forEach(a::add);
        return a;
    }
}
