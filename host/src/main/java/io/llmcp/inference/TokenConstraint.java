package io.llmcp.inference;

/**
 * Restricts which tokens the decoder may pick next (constrained decoding). The decoder calls
 * {@link #mask} before each sample and {@link #accept} with the token it picked.
 */
public interface TokenConstraint {
    /**
     * Sets the logits of forbidden tokens to negative infinity. {@code tokensLeft} is how many tokens may still be
     * generated including this one, so the constraint can steer towards an end in time. Returns false when no token
     * is allowed (the constrained text is complete and the model has no end token): the decoder stops.
     */
    boolean mask(float[] logits, int tokensLeft);

    /**
     * Picks the next token with {@code sampler} among the allowed ones, or returns -1 when none is allowed. The
     * default masks everything first; implementations may try the sampler's choice first and mask only when it
     * is refused. {@code logits} may be modified.
     */
    default int pick(float[] logits, int tokensLeft, java.util.function.ToIntFunction<float[]> sampler) {
        if (!mask(logits, tokensLeft)) return -1;
        int next = sampler.applyAsInt(logits);
        if (logits[next] == Float.NEGATIVE_INFINITY) {
            next = 0;
            for (int i = 1; i < logits.length; i++) if (logits[i] > logits[next]) next = i;
        }
        return next;
    }

    /** Records the token the decoder picked. */
    void accept(int tokenId);

    /** True when the text so far is complete (it parses and validates). */
    boolean complete();
}
