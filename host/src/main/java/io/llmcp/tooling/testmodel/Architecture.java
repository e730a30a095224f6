package io.llmcp.tooling.testmodel;

import java.util.Locale;

/**
 * The decoder families the test models imitate, each with the structure its Hugging Face implementation has and
 * the {@code model_type} its config.json names (see docs/MODELS.md):
 * <ul>
 *   <li>{@code llama}, {@code mistral}: RMSNorm, rotary GQA, SiLU-gated MLP.
 *   <li>{@code qwen2}: as llama with biases on q, k and v.
 *   <li>{@code qwen3}: as llama with RMSNorm on each query and key head (q_norm, k_norm).
 *   <li>{@code smollm3}: as llama, every fourth layer without rotary embeddings ({@code no_rope_layers}).
 *   <li>{@code phi3}: fused {@code qkv_proj} and {@code gate_up_proj}.
 *   <li>{@code gemma2}: embeddings scaled by sqrt(hidden), (1 + w) RMSNorms before and after attention and MLP,
 *       GeLU-tanh gate, attention and final logit soft-capping.
 *   <li>{@code gemma3_text}: gemma2 without soft-capping, with q_norm/k_norm, positions counted from 1.
 *   <li>{@code gpt2}: LayerNorm with bias, learned position embeddings, fused {@code c_attn}, multi-head
 *       attention, GeLU MLP, tied LM head.
 * </ul>
 */
public enum Architecture {
    LLAMA("llama", "LlamaForCausalLM"),
    MISTRAL("mistral", "MistralForCausalLM"),
    QWEN2("qwen2", "Qwen2ForCausalLM"),
    QWEN3("qwen3", "Qwen3ForCausalLM"),
    SMOLLM3("smollm3", "SmolLM3ForCausalLM"),
    PHI3("phi3", "Phi3ForCausalLM"),
    GEMMA2("gemma2", "Gemma2ForCausalLM"),
    GEMMA3_TEXT("gemma3_text", "Gemma3ForCausalLM"),
    GPT2("gpt2", "GPT2LMHeadModel");

    public final String modelType;
    public final String className;

    Architecture(String modelType, String className) {
        this.modelType = modelType;
        this.className = className;
    }

    public static Architecture parse(String s) {
        for (Architecture a : values()) if (a.modelType.equalsIgnoreCase(s) || a.name().equalsIgnoreCase(s)) return a;
        throw new IllegalArgumentException("unknown architecture " + s);
    }

    boolean gemma() {
        return this == GEMMA2 || this == GEMMA3_TEXT;
    }

    boolean qkNorm() {
        return this == QWEN3 || this == GEMMA3_TEXT;
    }

    boolean qkvBias() {
        return this == QWEN2;
    }

    boolean fused() {
        return this == PHI3;
    }

    /** transformers.js numbers positions from 1 for Gemma-3. */
    int positionStart() {
        return this == GEMMA3_TEXT ? 1 : 0;
    }

    boolean ropeInLayer(int layer) {
        return this != GPT2 && !(this == SMOLLM3 && layer % 4 == 3);
    }

    String id() {
        return modelType.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
