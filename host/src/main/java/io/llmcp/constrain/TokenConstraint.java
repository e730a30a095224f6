package io.llmcp.constrain;

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

    /** Records the token the decoder picked. */
    void accept(int tokenId);

    /** True when the text so far is complete (it parses and validates). */
    boolean complete();
}
