package io.llmcp.inference;

/**
 * Receives each sampled token with the text that became final with it. The delta may be empty (an incomplete
 * UTF-8 sequence, or text that might begin a stop string, is held back) and may carry text held back earlier.
 */
@FunctionalInterface
public interface TokenListener {
    TokenListener NONE = (text, tokenId) -> { };

    void onToken(String textDelta, long tokenId);
}
