package io.llmcp.constrain;

import java.util.BitSet;
import java.util.Set;

/**
 * Constrained decoding against a {@link Grammar}: before each step every token whose text would leave the
 * grammar, or would leave it unable to finish within the tokens left, is masked; the end token is allowed only
 * when the text is complete, and is the only choice once nothing else may follow. The allowed set is found by
 * walking the grammar state along the vocabulary trie, so tokens sharing a prefix share the work and a rejected
 * prefix prunes its whole subtree.
 */
public final class GrammarConstraint implements TokenConstraint {
    private TokenVocabulary vocab;
    private final io.llmcp.inference.TextTokenizer tokenizer;
    private final Set<Long> eosIds;
    private Grammar.Stack state;
    private final BitSet allowed = new BitSet();
    private long maskNanos;
    private int best;
    private int steps;

    public GrammarConstraint(Grammar.Node grammar, TokenVocabulary vocab, Set<Long> eosIds) {
        this.vocab = vocab;
        this.tokenizer = null;
        this.eosIds = eosIds;
        this.state = Grammar.begin(grammar);
    }

    /** The vocabulary is read from {@code tokenizer} at the first step (its size is the logits' width). */
    public GrammarConstraint(Grammar.Node grammar, io.llmcp.inference.TextTokenizer tokenizer, Set<Long> eosIds) {
        this.vocab = null;
        this.tokenizer = tokenizer;
        this.eosIds = eosIds;
        this.state = Grammar.begin(grammar);
    }

    @Override
    public boolean mask(float[] logits, int tokensLeft) {
        if (vocab == null) vocab = TokenVocabulary.of(tokenizer, logits.length);
        long t0 = System.nanoTime();
        allowed.clear();
        if (state != null) {
            best = Integer.MAX_VALUE;
            walk(vocab.root, state, tokensLeft - 1);
            // the budget is too small to finish (the caller asked for fewer tokens than the schema needs):
            // still head for the end as fast as possible
            if (allowed.isEmpty() && best != Integer.MAX_VALUE && !state.accepting()) walk(vocab.root, state, best);
        }
        boolean any = !allowed.isEmpty();
        if (state != null && state.accepting()) {
            for (long eos : eosIds) {
                if (eos >= 0 && eos < logits.length) {
                    allowed.set((int) eos);
                    any = true;
                }
            }
        }
        for (int id = allowed.nextClearBit(0); id < logits.length; id = allowed.nextClearBit(id + 1)) {
            logits[id] = Float.NEGATIVE_INFINITY;
        }
        maskNanos += System.nanoTime() - t0;
        steps++;
        return any;
    }

    private void walk(TokenVocabulary.TrieNode node, Grammar.Stack s, int budget) {
        char[] chars = node.chars;
        TokenVocabulary.TrieNode[] children = node.children;
        for (int i = 0; i < chars.length; i++) {
            Grammar.Stack next = s.feed(chars[i]);
            if (next == null) continue;
            TokenVocabulary.TrieNode child = children[i];
            if (child.tokens.length > 0) {
                if (next.min <= budget) for (int id : child.tokens) allowed.set(id);
                else if (next.min < best) best = next.min;
            }
            if (child.chars.length > 0) walk(child, next, budget);
        }
    }

    @Override
    public void accept(int tokenId) {
        if (state == null) return;
        if (eosIds.contains((long) tokenId)) {
            state = null;
            return;
        }
        String text = vocab.text(tokenId);
        state = text == null ? null : state.feed(text);
    }

    @Override
    public boolean complete() {
        return state != null && state.accepting() || state == null;
    }

    /** Whether {@code tokenId} was allowed at the last {@link #mask}. */
    public boolean allowed(int tokenId) {
        return allowed.get(tokenId);
    }

    /** Average time spent masking per step, in milliseconds. */
    public double maskMillisPerStep() {
        return steps == 0 ? 0 : maskNanos / 1e6 / steps;
    }
}
