package io.llmcp.constrain;

import io.llmcp.inference.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Every token's decoded text, once per tokenizer, arranged in a character trie so a grammar state can be walked
 * along all tokens that share a prefix at once. A token's text is what it adds after other text (decoded after an
 * anchor token, so SentencePiece's leading space is kept). Tokens that decode to nothing (special tokens) or to
 * part of a UTF-8 character are left out: constrained output uses whole characters.
 */
public final class TokenVocabulary {
    private static final Map<TextTokenizer, TokenVocabulary> CACHE = new WeakHashMap<>();

    /** A trie node: children by character (sorted), and the tokens whose text ends here. */
    static final class TrieNode {
        char[] chars = new char[0];
        TrieNode[] children = new TrieNode[0];
        int[] tokens = new int[0];

        TrieNode child(char c, boolean create) {
            int i = Arrays.binarySearch(chars, c);
            if (i >= 0) return children[i];
            if (!create) return null;
            int at = -i - 1;
            TrieNode n = new TrieNode();
            char[] nc = new char[chars.length + 1];
            TrieNode[] nn = new TrieNode[children.length + 1];
            System.arraycopy(chars, 0, nc, 0, at);
            System.arraycopy(children, 0, nn, 0, at);
            nc[at] = c;
            nn[at] = n;
            System.arraycopy(chars, at, nc, at + 1, chars.length - at);
            System.arraycopy(children, at, nn, at + 1, children.length - at);
            chars = nc;
            children = nn;
            return n;
        }
    }

    private final String[] texts;
    final TrieNode root = new TrieNode();
    private final int usable;

    TokenVocabulary(String[] texts) {
        this.texts = texts;
        int n = 0;
        for (int id = 0; id < texts.length; id++) {
            String t = texts[id];
            if (t == null || t.isEmpty() || t.indexOf('\uFFFD') >= 0) continue;
            TrieNode node = root;
            for (int i = 0; i < t.length(); i++) node = node.child(t.charAt(i), true);
            node.tokens = Arrays.copyOf(node.tokens, node.tokens.length + 1);
            node.tokens[node.tokens.length - 1] = id;
            n++;
        }
        usable = n;
    }

    /** The vocabulary of {@code tokenizer} for ids {@code 0..size-1} (size = the model's logits width). */
    public static TokenVocabulary of(TextTokenizer tokenizer, int size) {
        synchronized (CACHE) {
            TokenVocabulary v = CACHE.get(tokenizer);
            if (v != null && v.size() == size) return v;
            v = new TokenVocabulary(decodeAll(tokenizer, size));
            CACHE.put(tokenizer, v);
            return v;
        }
    }

    public static TokenVocabulary of(List<String> texts) {
        return new TokenVocabulary(texts.toArray(String[]::new));
    }

    private static String[] decodeAll(TextTokenizer tokenizer, int size) {
        long[] anchorIds = tokenizer.encode("a");
        long anchor = anchorIds.length > 0 ? anchorIds[anchorIds.length - 1] : 0;
        String anchorText = tokenizer.decode(new long[]{anchor});
        String[] out = new String[size];
        int batch = 4096;
        for (int from = 0; from < size; from += batch) {
            int n = Math.min(batch, size - from);
            long[][] ids = new long[n][];
            for (int i = 0; i < n; i++) ids[i] = new long[]{anchor, from + i};
            String[] decoded = tokenizer.decodeBatch(ids);
            for (int i = 0; i < n; i++) {
                String d = decoded[i];
                out[from + i] = d.startsWith(anchorText) ? d.substring(anchorText.length()) : null;
            }
        }
        return out;
    }

    public int size() {
        return texts.length;
    }

    /** Tokens with usable text. */
    public int usable() {
        return usable;
    }

    /** The text of {@code id}, or null when it has none. */
    public String text(int id) {
        return id >= 0 && id < texts.length ? texts[id] : null;
    }

    /** Ids of the usable tokens (for tests). */
    List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            String t = texts[i];
            if (t != null && !t.isEmpty() && t.indexOf('\uFFFD') < 0) ids.add(i);
        }
        return ids;
    }
}
