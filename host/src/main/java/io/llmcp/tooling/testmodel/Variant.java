package io.llmcp.tooling.testmodel;

/** The export flavours of a decoder-only model that the generator must run. */
public enum Variant {
    /** Optimum/transformers.js standard: {@code past_key_values.*} inputs and {@code present.*} outputs. */
    KV_CACHE,
    /** The older merged export: as {@link #KV_CACHE} plus a {@code use_cache_branch} bool input. */
    MERGED_USE_CACHE_BRANCH,
    /** Only {@code input_ids} and {@code attention_mask}: every step recomputes the whole sequence. */
    NO_CACHE
}
