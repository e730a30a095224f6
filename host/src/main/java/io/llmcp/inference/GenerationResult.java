package io.llmcp.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;

/**
 * The outcome of one generation, shaped like the {@code generate} result in docs/PROTOCOL.md. {@code tokenIds}
 * are every sampled token, including the eos or the one that completed a stop string; {@code text} excludes
 * special tokens and the stop string. {@code tokensPerSecond} is the decode rate after the first token.
 */
public record GenerationResult(String text, long[] tokenIds, int promptTokens, int generatedTokens,
                               FinishReason finishReason, double timeToFirstTokenMs, double tokensPerSecond,
                               String provider) {
    /** Why generation ended; the lower-case name is what the protocol carries. */
    public enum FinishReason {
        EOS, STOP, LENGTH, CONTEXT, CANCELLED;

        public String wire() {
            return name().toLowerCase();
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("text", text);
        ArrayNode ids = o.putArray("tokenIds");
        for (long id : tokenIds) ids.add(id);
        o.put("promptTokens", promptTokens);
        o.put("generatedTokens", generatedTokens);
        o.put("finishReason", finishReason.wire());
        o.put("timeToFirstTokenMs", Math.round(timeToFirstTokenMs * 10) / 10.0);
        o.put("tokensPerSecond", Math.round(tokensPerSecond * 10) / 10.0);
        o.put("provider", provider);
        return o;
    }
}
