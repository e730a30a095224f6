package io.llmcp.tooling.testmodel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Extras for test models. {@code scriptedTokens} maps a position to the token the model should predict after
 * seeing the token at that position: a large bias is added to that logit, so even random weights produce a known
 * text (for stop-string, eos and unicode tests). {@code extraInputs} are inputs the graph ignores (int64
 * [batch, seq], except {@code cache_position}: [seq]), to test what the generator accepts and rejects.
 * {@code float16Io}: the KV cache and the logits cross the graph boundary as float16, as in the fp16/q4f16
 * exports. {@code architecture} and {@code dtype} choose the family and weight format; {@code numLogitsToKeep}
 * adds that input, as newer exports declare it.
 */
public record ModelOptions(Map<Integer, Integer> scriptedTokens, List<String> extraInputs, boolean float16Io,
                           Architecture architecture, Dtype dtype, boolean numLogitsToKeep) {
    public static final float SCRIPT_BIAS = 60f;

    public ModelOptions {
        scriptedTokens = Map.copyOf(scriptedTokens);
        extraInputs = List.copyOf(extraInputs);
        if (dtype == Dtype.FP16 || dtype == Dtype.Q4F16) float16Io = true;
    }

    public ModelOptions(Map<Integer, Integer> scriptedTokens, List<String> extraInputs, boolean float16Io) {
        this(scriptedTokens, extraInputs, float16Io, Architecture.LLAMA, Dtype.FP32, false);
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
        return new ModelOptions(scriptedTokens, l, float16Io, architecture, dtype, numLogitsToKeep);
    }

    public ModelOptions withFloat16Io() {
        return new ModelOptions(scriptedTokens, extraInputs, true, architecture, dtype, numLogitsToKeep);
    }

    public ModelOptions with(Architecture a) {
        return new ModelOptions(scriptedTokens, extraInputs, float16Io, a, dtype, numLogitsToKeep);
    }

    public ModelOptions with(Dtype d) {
        return new ModelOptions(scriptedTokens, extraInputs, float16Io, architecture, d, numLogitsToKeep);
    }

    public ModelOptions withNumLogitsToKeep() {
        return new ModelOptions(scriptedTokens, extraInputs, float16Io, architecture, dtype, true);
    }
}
