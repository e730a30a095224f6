package io.llmcp.inference;

import java.util.Arrays;

/**
 * Turns a growing list of token ids into text deltas that never split a character. A token may carry only part
 * of a UTF-8 sequence (byte-level BPE splits emoji and CJK across tokens), and decoding such a prefix yields
 * U+FFFD; so we decode a short window of recent ids and emit only what is complete. Only the window since the
 * last emitted delta is decoded each step, so a long generation costs O(n), not O(n²).
 */
public final class StreamingDetokenizer {
    private static final int CONTEXT_TOKENS = 5;
    private static final char REPLACEMENT = '\uFFFD';

    private final TextTokenizer tokenizer;
    private long[] ids = new long[64];
    private int size;
    /** Start of the window being decoded; ids before it are already emitted text. */
    private int prefixOffset;
    /** End of the ids whose text has been emitted. */
    private int readOffset;

    StreamingDetokenizer(TextTokenizer tokenizer, long[] context) {
        this.tokenizer = tokenizer;
        int from = Math.max(0, context.length - CONTEXT_TOKENS);
        for (int i = from; i < context.length; i++) append(context[i]);
        prefixOffset = 0;
        readOffset = size;
    }

    /** Adds one token and returns the text that became complete (possibly empty). */
    public String push(long tokenId) {
        append(tokenId);
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        if (full.length() > prefix.length() && full.charAt(full.length() - 1) != REPLACEMENT
                && full.startsWith(prefix)) {
            String delta = full.substring(prefix.length());
            prefixOffset = readOffset;
            readOffset = size;
            return delta;
        }
        return "";
    }

    /** Whatever is still held back (an incomplete sequence at the very end decodes as U+FFFD). */
    public String flush() {
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        prefixOffset = readOffset = size;
        return full.length() > prefix.length() && full.startsWith(prefix) ? full.substring(prefix.length()) : "";
    }

    private void append(long id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, size * 2);
        ids[size++] = id;
    }
}
