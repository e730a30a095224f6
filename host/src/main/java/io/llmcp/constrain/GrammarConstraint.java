package io.llmcp.constrain;

import io.llmcp.inference.TokenConstraint;
import java.util.BitSet;
import java.util.Set;
import java.util.function.ToIntFunction;

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
    private long nanos;
    private int best;
    private int fullMasks;
    /** How many sampler choices are checked before the full mask is computed. */
    static final int TRIES = 8;
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

    /**
     * Tries the sampler's choice first: a refused token is removed and the sampler asked again, up to
     * {@link #TRIES} times (with plain temperature sampling that is exactly sampling from the allowed tokens);
     * then the full mask. A model that mostly agrees with the grammar thus costs one check per step.
     */
    @Override
    public int pick(float[] logits, int tokensLeft, ToIntFunction<float[]> sampler) {
        if (vocab == null) vocab = TokenVocabulary.of(tokenizer, logits.length);
        long start = System.nanoTime();
        long[] sampling = {0};
        ToIntFunction<float[]> timed = w -> {
            long s = System.nanoTime();
            int r = sampler.applyAsInt(w);
            sampling[0] += System.nanoTime() - s;
            return r;
        };
        int result = -2;
        if (state != null && !state.finished()) {
            float[] original = logits.clone();
            float[] work = logits;
            for (int i = 0; i < TRIES && result == -2; i++) {
                int next = timed.applyAsInt(work);
                if (allows(next, tokensLeft)) {
                    result = next;
                } else {
                    original[next] = Float.NEGATIVE_INFINITY;
                    work = original.clone();
                }
            }
            if (result == -2) {
                System.arraycopy(original, 0, logits, 0, logits.length);
                fullMasks++;
            }
        }
        if (result == -2) {
            if (!maskAll(logits, tokensLeft)) {
                result = -1;
            } else {
                result = timed.applyAsInt(logits);
                if (logits[result] == Float.NEGATIVE_INFINITY) result = firstAllowed(logits);
            }
        }
        nanos += System.nanoTime() - start - sampling[0];
        steps++;
        return result;
    }

    private static int firstAllowed(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /** Whether {@code tokenId} may come next and still leave the answer finishable in {@code tokensLeft - 1}. */
    public boolean allows(int tokenId, int tokensLeft) {
        if (state == null) return false;
        if (eosIds.contains((long) tokenId)) return state.accepting();
        String text = vocab.text(tokenId);
        if (text == null || text.isEmpty() || text.indexOf('\uFFFD') >= 0) return false;
        Grammar.Stack next = state.feed(text);
        return next != null && next.min <= tokensLeft - 1;
    }

    @Override
    public boolean mask(float[] logits, int tokensLeft) {
        if (vocab == null) vocab = TokenVocabulary.of(tokenizer, logits.length);
        long t0 = System.nanoTime();
        boolean any = maskAll(logits, tokensLeft);
        nanos += System.nanoTime() - t0;
        steps++;
        return any;
    }

    private boolean maskAll(float[] logits, int tokensLeft) {
        allowed.clear();
        if (state != null && !state.finished()) {
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

    /** Steps that needed the full mask. */
    public int fullMasks() {
        return fullMasks;
    }

    /** Average time the constraint added per step (checks and masks, not sampling), in milliseconds. */
    public double maskMillisPerStep() {
        return steps == 0 ? 0 : nanos / 1e6 / steps;
    }
}
