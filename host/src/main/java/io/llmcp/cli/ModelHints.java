package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Errors in the user's words: an unknown model id gets "did you mean" (Levenshtein distance over
 * {@code models.list}) and the command that fixes it.
 */
final class ModelHints {
    private ModelHints() {
    }

    /** Edit distance (insert, delete, substitute = 1), case-insensitive. */
    static int distance(String a, String b) {
        String s = a.toLowerCase(Locale.ROOT);
        String t = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[t.length() + 1];
        int[] cur = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) prev[j] = j;
        for (int i = 1; i <= s.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[t.length()];
    }

    /**
     * The known ids closest to {@code wanted}: within a third of its length (at least 2 edits), or containing it,
     * best first, at most 3.
     */
    static List<String> suggestions(String wanted, List<String> known) {
        int limit = Math.max(2, wanted.length() / 3);
        String w = wanted.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        known.stream()
                .filter(k -> !k.equalsIgnoreCase(wanted))
                .filter(k -> distance(wanted, k) <= limit || (w.length() >= 3 && k.toLowerCase(Locale.ROOT).contains(w)))
                .sorted(Comparator.comparingInt((String k) -> distance(wanted, k)).thenComparing(k -> k))
                .limit(3)
                .forEach(out::add);
        return out;
    }

    static List<String> knownIds(HostConnection host) {
        List<String> ids = new ArrayList<>();
        try {
            JsonNode list = host.call("models.list", io.llmcp.protocol.Json.object());
            for (JsonNode m : list.path("models")) ids.add(m.path("modelId").asText());
        } catch (Exception e) {
            // no list, no suggestion
        }
        ids.add("all-minilm-l6-v2");
        return ids;
    }

    /**
     * Rewrites "unknown model" into what the person can do: the ids it may have meant, or {@code llmcp list} /
     * {@code llmcp pull}. Other errors are returned unchanged.
     */
    static RuntimeException explain(RuntimeException e, HostConnection host, String modelId) {
        if (!(e instanceof RpcException rpc) || rpc.code() != ErrorCodes.NOT_FOUND) return e;
        List<String> known = knownIds(host);
        if (known.contains(modelId)) return e;
        List<String> near = suggestions(modelId, known);
        StringBuilder msg = new StringBuilder("model '").append(modelId).append("' is not downloaded.");
        if (!near.isEmpty()) {
            msg.append(" Did you mean ").append(String.join(" or ", near.stream().map(n -> "'" + n + "'").toList())).append('?');
            msg.append(System.lineSeparator()).append("  try: llmcp run ").append(near.get(0));
        } else {
            msg.append(System.lineSeparator()).append("  see what you have: llmcp list");
            msg.append(System.lineSeparator()).append("  download one: llmcp pull <huggingface-url> --id ").append(modelId);
        }
        return new RpcException(rpc.code(), msg.toString(), rpc.data(), rpc);
    }
}
