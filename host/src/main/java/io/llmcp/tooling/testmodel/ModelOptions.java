package io.llmcp.tooling.testmodel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extras for test models. {@code scriptedTokens} maps a position to the token the model should predict after
 * seeing the token at that position: a large bias is added to that logit, so even random weights produce a known
 * text (for stop-string, eos and unicode tests). {@code extraInputs} are int64 inputs the graph ignores, to test
 * that the generator rejects inputs it does not understand. {@code float16Io}: the KV cache and the logits cross the
 * graph boundary as float16, as in the fp16/q4f16 exports (the math inside stays float32).
 */
public record ModelOptions(Map<Integer, Integer> scriptedTokens, List<String> extraInputs, boolean float16Io) {
    public static final float SCRIPT_BIAS = 60f;

    public ModelOptions {
        scriptedTokens = Map.copyOf(scriptedTokens);
        extraInputs = List.copyOf(extraInputs);
    }

    public static ModelOptions none() {
        return new ModelOptions(Map.of(), List.of(), false);
    }

    /** The model answers {@code tokens} when generation starts at {@code promptLength}. */
    public static ModelOptions scripted(int promptLength, long[] tokens) {
        Map<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < tokens.length; i++) m.put(promptLength - 1 + i, (int) tokens[i]);
        return new ModelOptions(m, List.of(), false);
    }

    public ModelOptions withExtraInput(String name) {
        List<String> l = new java.util.ArrayList<>(extraInputs);
        l.add(name);
        return new ModelOptions(scriptedTokens, l, float16Io);
    }

    public ModelOptions withFloat16Io() {
        return new ModelOptions(scriptedTokens, extraInputs, true);
    }
}
