package io.llmcp.tooling.testmodel;

/**
 * The dimensions of a Llama-style decoder and the seed of its random weights. {@code vocab} may be larger than
 * the tokenizer's own vocabulary; the tokenizer is then padded with reserved tokens so every id decodes.
 * {@code tiedEmbeddings}: the LM head reuses the token embedding (as SmolLM2 does) instead of its own matrix.
 */
public record LlamaShape(int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab,
                         int maxPositions, long seed, boolean tiedEmbeddings) {
    public LlamaShape {
        if (layers < 1 || hidden < 1 || heads < 1 || kvHeads < 1 || intermediate < 1 || vocab < 1 || maxPositions < 2) {
            throw new IllegalArgumentException("every dimension must be positive: " + this);
        }
        if (hidden % heads != 0) throw new IllegalArgumentException("hidden must be a multiple of heads");
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads must be a multiple of kvHeads");
        if ((hidden / heads) % 2 != 0) throw new IllegalArgumentException("head_dim must be even for rotary");
    }

    public int headDim() {
        return hidden / heads;
    }

    /** A model small enough for unit tests: builds and runs in milliseconds. */
    public static LlamaShape tiny(int vocab) {
        return new LlamaShape(2, 64, 4, 2, 128, vocab, 256, 42, false);
    }

    /** The shape of HuggingFaceTB/SmolLM2-135M (random weights, used by the generation benchmark). */
    public static LlamaShape smolLm2_135m() {
        return new LlamaShape(30, 576, 9, 3, 1536, 49152, 8192, 42, true);
    }

    public LlamaShape withSeed(long newSeed) {
        return new LlamaShape(layers, hidden, heads, kvHeads, intermediate, vocab, maxPositions, newSeed, tiedEmbeddings);
    }

    /** Number of float parameters, for size estimates. */
    public long parameters() {
        long hd = headDim();
        long attn = (long) hidden * heads * hd * 2 + (long) hidden * kvHeads * hd * 2;
        long mlp = 3L * hidden * intermediate;
        return (long) vocab * hidden * (tiedEmbeddings ? 1 : 2) + layers * (attn + mlp + 2L * hidden) + hidden
                + 2L * maxPositions * hd;
    }
}
