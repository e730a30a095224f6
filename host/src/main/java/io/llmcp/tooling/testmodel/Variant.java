package io.llmcp.tooling.testmodel;

/** The export flavours of a decoder-only model that the generator must run. */
public enum Variant {
    /** Optimum/transformers.js standard: {@code past_key_values.*} inputs and {@code present.*} outputs. */
    KV_CACHE,
    /** The older merged export: as {@link #KV_CACHE} plus a {@code use_cache_branch} bool input. */
    MERGED_USE_CACHE_BRANCH,
    /** Only {@code input_ids} and {@code attention_mask}: every step recomputes the whole sequence. */
    NO_CACHE,
    /**
     * The onnxruntime-genai model builder's layout: {@code input_ids}, {@code attention_mask} and the KV cache, no
     * {@code position_ids}; each layer's attention (with rotary) is one {@code com.microsoft.GroupQueryAttention}
     * fed {@code seqlens_k = sum(mask) - 1} and {@code total_sequence_length}.
     */
    GROUP_QUERY_ATTENTION
}
