package io.llmcp.constrain;

import java.util.ArrayList;
import java.util.List;

/**
 * A character-level pushdown recognizer for a subset of JSON compiled from a schema ({@link JsonSchemaCompiler}).
 * States are immutable {@link Stack}s of {@link Frame}s, so one state can be advanced along many candidate token
 * strings (a trie walk) without copying. Output is compact JSON (no whitespace between tokens), object
 * properties in the schema's order (optional ones may be left out), no additional properties.
 *
 * <p>Every state knows the fewest characters that complete the value ({@link Stack#min}); the decoder uses it to
 * keep the answer finishable within its token budget.
 */
public final class Grammar {
    private Grammar() {
    }

    /** A compiled schema node: what a value at this place may look like. */
    public abstract static class Node {
        private int minLen = -1;
        private boolean computing;

        /** The frame that expects this value's first character. */
        abstract Frame start();

        /** Fewest characters of any value this node accepts (cycles through $ref count as large). */
        final int minLen() {
            if (minLen >= 0) return minLen;
            if (computing) return 1_000_000;
            computing = true;
            try {
                minLen = computeMinLen();
            } finally {
                computing = false;
            }
            return minLen;
        }

        abstract int computeMinLen();
    }

    /** One level of the parse: consumes characters; {@link #min} is 0 when it may end here. */
    abstract static class Frame {
        /** The stack after {@code c}, or null when {@code c} cannot come next in this frame. */
        abstract Stack feed(Stack self, char c);

        /** Fewest characters that complete this frame (0 = may end now). */
        abstract int min();
    }

    /** An immutable stack; {@link #EMPTY} is "the value is complete, nothing may follow". */
    public static final class Stack {
        public static final Stack EMPTY = new Stack(null, null);
        final Frame top;
        final Stack rest;
        /** Fewest characters that complete everything on this stack. */
        public final int min;

        private Stack(Frame top, Stack rest) {
            this.top = top;
            this.rest = rest;
            this.min = top == null ? 0 : top.min() + rest.min;
        }

        static Stack push(Frame f, Stack rest) {
            return new Stack(f, rest);
        }

        /** Replaces the top frame. */
        Stack with(Frame f) {
            return new Stack(f, rest);
        }

        public boolean accepting() {
            return min == 0;
        }

        /** True when no further character is possible at all. */
        public boolean finished() {
            return top == null;
        }

        /** The state after {@code c}, or null. A complete top frame that cannot take {@code c} hands it down. */
        public Stack feed(char c) {
            Stack s = this;
            while (s.top != null) {
                Stack r = s.top.feed(s, c);
                if (r != null) return r;
                if (s.top.min() != 0) return null;
                s = s.rest;
            }
            return null;
        }

        /** The state after all of {@code text}, or null. */
        public Stack feed(CharSequence text) {
            Stack s = this;
            for (int i = 0; i < text.length() && s != null; i++) s = s.feed(text.charAt(i));
            return s;
        }
    }

    /** The initial state for a value of {@code node}. */
    public static Stack begin(Node node) {
        return Stack.push(node.start(), Stack.EMPTY);
    }

    // ---------------------------------------------------------------- literals (const, enum, true, false, null)

    static final class LiteralNode extends Node {
        final String[] values;

        LiteralNode(List<String> values) {
            this.values = values.toArray(String[]::new);
        }

        @Override
        Frame start() {
            return new LiteralFrame(values, 0);
        }

        @Override
        int computeMinLen() {
            int m = Integer.MAX_VALUE;
            for (String v : values) m = Math.min(m, v.length());
            return m;
        }
    }

    private static final class LiteralFrame extends Frame {
        final String[] alts;
        final int pos;
        final int min;

        LiteralFrame(String[] alts, int pos) {
            this.alts = alts;
            this.pos = pos;
            int m = Integer.MAX_VALUE;
            for (String a : alts) m = Math.min(m, a.length() - pos);
            this.min = m;
        }

        @Override
        Stack feed(Stack self, char c) {
            int n = 0;
            for (String a : alts) if (a.length() > pos && a.charAt(pos) == c) n++;
            if (n == 0) return null;
            String[] next = alts;
            if (n != alts.length) {
                next = new String[n];
                int i = 0;
                for (String a : alts) if (a.length() > pos && a.charAt(pos) == c) next[i++] = a;
            }
            LiteralFrame f = new LiteralFrame(next, pos + 1);
            // a literal fully matched with no longer alternative is done: pop it
            if (f.min == 0 && next.length == 1) return self.rest;
            return self.with(f);
        }

        @Override
        int min() {
            return min;
        }
    }

    // ---------------------------------------------------------------- strings

    static final class StringNode extends Node {
        final int minLength;
        final int maxLength;

        StringNode(int minLength, int maxLength) {
            this.minLength = minLength;
            this.maxLength = maxLength;
        }

        @Override
        Frame start() {
            return new StringFrame(this, StringFrame.START, 0, 0);
        }

        @Override
        int computeMinLen() {
            return 2 + minLength;
        }
    }

    private static final class StringFrame extends Frame {
        static final int START = 0, IN = 1, ESC = 2, HEX = 3;
        final StringNode node;
        final int mode;
        final int count; // characters so far
        final int hex;   // hex digits seen in a \\u escape

        StringFrame(StringNode node, int mode, int count, int hex) {
            this.node = node;
            this.mode = mode;
            this.count = count;
            this.hex = hex;
        }

        @Override
        Stack feed(Stack self, char c) {
            switch (mode) {
                case START:
                    return c == '"' ? self.with(new StringFrame(node, IN, 0, 0)) : null;
                case IN:
                    if (c == '"') return count >= node.minLength ? self.rest : null;
                    if (count >= node.maxLength) return null;
                    if (c == '\\') return self.with(new StringFrame(node, ESC, count, 0));
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !surrogateOk(c)) return null;
                    return node.minLength == 0 && node.maxLength == Integer.MAX_VALUE ? self
                            : self.with(new StringFrame(node, IN, count + 1, 0));
                case ESC:
                    if ("\"\\/bfnrt".indexOf(c) >= 0) return self.with(new StringFrame(node, IN, count + 1, 0));
                    if (c == 'u') return self.with(new StringFrame(node, HEX, count, 0));
                    return null;
                default:
                    if (Character.digit(c, 16) < 0) return null;
                    return self.with(hex == 3 ? new StringFrame(node, IN, count + 1, 0) : new StringFrame(node, HEX, count, hex + 1));
            }
        }

        private static boolean surrogateOk(char c) {
            return true; // token strings come from decoded text, so surrogates arrive in valid pairs
        }

        @Override
        int min() {
            int left = Math.max(0, node.minLength - count);
            switch (mode) {
                case START:
                    return 2 + node.minLength;
                case IN:
                    return 1 + left;
                case ESC:
                    return 2 + Math.max(0, left - 1);
                default:
                    return 5 - hex + Math.max(0, left - 1);
            }
        }
    }

    // ---------------------------------------------------------------- numbers

    static final class NumberNode extends Node {
        final boolean integer;

        NumberNode(boolean integer) {
            this.integer = integer;
        }

        @Override
        Frame start() {
            return new NumberFrame(integer, NumberFrame.START, 0);
        }

        @Override
        int computeMinLen() {
            return 1;
        }
    }

    private static final class NumberFrame extends Frame {
        static final int START = 0, MINUS = 1, ZERO = 2, INT = 3, DOT = 4, FRAC = 5, E = 6, ESIGN = 7, EXP = 8;
        /** Digits per part, so integers stay within a long and numbers within a double's precision. */
        static final int MAX_DIGITS = 15;
        final boolean integer;
        final int mode;
        final int digits;

        NumberFrame(boolean integer, int mode, int digits) {
            this.integer = integer;
            this.mode = mode;
            this.digits = digits;
        }

        private Stack to(Stack self, int mode, int digits) {
            return self.with(new NumberFrame(integer, mode, digits));
        }

        @Override
        Stack feed(Stack self, char c) {
            boolean digit = c >= '0' && c <= '9';
            switch (mode) {
                case START:
                    if (c == '-') return to(self, MINUS, 0);
                    // fall through
                case MINUS:
                    if (c == '0') return to(self, ZERO, 1);
                    return digit ? to(self, INT, 1) : null;
                case ZERO:
                case INT:
                    if (digit && mode == INT && digits < MAX_DIGITS) return to(self, INT, digits + 1);
                    if (integer) return null;
                    if (c == '.') return to(self, DOT, 0);
                    if (c == 'e' || c == 'E') return to(self, E, 0);
                    return null;
                case DOT:
                    return digit ? to(self, FRAC, 1) : null;
                case FRAC:
                    if (digit && digits < MAX_DIGITS) return to(self, FRAC, digits + 1);
                    if (c == 'e' || c == 'E') return to(self, E, 0);
                    return null;
                case E:
                    if (c == '+' || c == '-') return to(self, ESIGN, 0);
                    // fall through
                case ESIGN:
                    return digit ? to(self, EXP, 1) : null;
                default:
                    return digit && digits < 2 ? to(self, EXP, digits + 1) : null;
            }
        }

        @Override
        int min() {
            return switch (mode) {
                case ZERO, INT, FRAC, EXP -> 0;
                default -> 1;
            };
        }
    }

    // ---------------------------------------------------------------- arrays

    static final class ArrayNode extends Node {
        Node items;
        final int minItems;
        final int maxItems;

        ArrayNode(Node items, int minItems, int maxItems) {
            this.items = items;
            this.minItems = minItems;
            this.maxItems = maxItems;
        }

        @Override
        Frame start() {
            return new ArrayFrame(this, ArrayFrame.START, 0);
        }

        @Override
        int computeMinLen() {
            return 2 + minItems * items.minLen() + Math.max(0, minItems - 1);
        }
    }

    private static final class ArrayFrame extends Frame {
        static final int START = 0, OPEN = 1, AFTER = 2, COMMA = 3;
        final ArrayNode node;
        final int mode;
        final int count;

        ArrayFrame(ArrayNode node, int mode, int count) {
            this.node = node;
            this.mode = mode;
            this.count = count;
        }

        @Override
        Stack feed(Stack self, char c) {
            switch (mode) {
                case START:
                    return c == '[' ? self.with(new ArrayFrame(node, OPEN, 0)) : null;
                case OPEN:
                    if (c == ']' && node.minItems == 0) return self.rest;
                    return node.maxItems > 0 ? item(self, c) : null;
                case AFTER:
                    if (c == ']' && count >= node.minItems) return self.rest;
                    if (c == ',' && count < node.maxItems) return self.with(new ArrayFrame(node, COMMA, count));
                    return null;
                default:
                    return item(self, c);
            }
        }

        private Stack item(Stack self, char c) {
            Stack after = self.with(new ArrayFrame(node, AFTER, count + 1));
            return Stack.push(node.items.start(), after).feed(c);
        }

        @Override
        int min() {
            int need = Math.max(0, node.minItems - count);
            int item = node.items.minLen();
            return switch (mode) {
                case START -> node.computeMinLen();
                case OPEN -> 1 + need * item + Math.max(0, need - 1);
                case AFTER -> 1 + need * (item + 1);
                default -> 1 + Math.max(1, need) * item + Math.max(0, need - 1);
            };
        }
    }

    // ---------------------------------------------------------------- objects

    /** A property: its key written as {@code "key":} and its value. */
    record Property(String keyText, Node value, boolean required) {
    }

    static final class ObjectNode extends Node {
        final List<Property> properties = new ArrayList<>();

        @Override
        Frame start() {
            return new ObjectFrame(this, ObjectFrame.START, 0, false, null, 0);
        }

        @Override
        int computeMinLen() {
            return 1 + rest(0, false);
        }

        /** Fewest characters from just after {@code {} or a value to the closing brace, from property {@code i}. */
        int rest(int i, boolean emitted) {
            int total = 1;
            boolean comma = emitted;
            for (int j = i; j < properties.size(); j++) {
                Property p = properties.get(j);
                if (!p.required()) continue;
                total += (comma ? 1 : 0) + p.keyText().length() + p.value().minLen();
                comma = true;
            }
            return total;
        }

        /** Properties that may come next after index {@code i}: up to and including the first required one. */
        int[] candidates(int i) {
            List<Integer> c = new ArrayList<>();
            for (int j = i; j < properties.size(); j++) {
                c.add(j);
                if (properties.get(j).required()) break;
            }
            return c.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static final class ObjectFrame extends Frame {
        static final int START = 0, OPEN = 1, AFTER = 2, KEY = 3;
        final ObjectNode node;
        final int mode;
        final int next;        // index of the first property that may still come
        final boolean emitted; // a property was written (so the next needs a comma)
        final int[] keys;      // KEY: candidate property indexes
        final int pos;         // KEY: characters of the key text matched

        ObjectFrame(ObjectNode node, int mode, int next, boolean emitted, int[] keys, int pos) {
            this.node = node;
            this.mode = mode;
            this.next = next;
            this.emitted = emitted;
            this.keys = keys;
            this.pos = pos;
        }

        @Override
        Stack feed(Stack self, char c) {
            switch (mode) {
                case START:
                    return c == '{' ? self.with(new ObjectFrame(node, OPEN, 0, false, null, 0)) : null;
                case OPEN:
                case AFTER:
                    if (c == '}' && node.rest(next, emitted) == 1) return self.rest;
                    if (mode == AFTER && emitted) {
                        if (c != ',') return null;
                        int[] cands = node.candidates(next);
                        return cands.length == 0 ? null : self.with(new ObjectFrame(node, KEY, next, true, cands, 0));
                    }
                    if (c != '"') return null;
                    int[] cands = node.candidates(next);
                    if (cands.length == 0) return null;
                    return new ObjectFrame(node, KEY, next, emitted, cands, 0).feedKey(self, c);
                default:
                    return feedKey(self, c);
            }
        }

        private Stack feedKey(Stack self, char c) {
            int n = 0;
            for (int k : keys) {
                String t = node.properties.get(k).keyText();
                if (t.length() > pos && t.charAt(pos) == c) n++;
            }
            if (n == 0) return null;
            int[] left = new int[n];
            int i = 0;
            for (int k : keys) {
                String t = node.properties.get(k).keyText();
                if (t.length() > pos && t.charAt(pos) == c) left[i++] = k;
            }
            if (n == 1 && node.properties.get(left[0]).keyText().length() == pos + 1) {
                // the key and its colon are complete: the value follows, then this object continues
                Stack after = self.with(new ObjectFrame(node, AFTER, left[0] + 1, true, null, 0));
                return Stack.push(node.properties.get(left[0]).value().start(), after);
            }
            return self.with(new ObjectFrame(node, KEY, next, emitted, left, pos + 1));
        }

        @Override
        int min() {
            switch (mode) {
                case START:
                    return node.minLen();
                case OPEN:
                case AFTER:
                    return node.rest(next, emitted);
                default: {
                    int m = Integer.MAX_VALUE;
                    for (int k : keys) {
                        Property p = node.properties.get(k);
                        m = Math.min(m, p.keyText().length() - pos + p.value().minLen() + node.rest(k + 1, true));
                    }
                    return m;
                }
            }
        }
    }

    // ---------------------------------------------------------------- unions (anyOf, oneOf, type arrays)

    static final class UnionNode extends Node {
        final List<Node> options;

        UnionNode(List<Node> options) {
            this.options = options;
        }

        @Override
        Frame start() {
            return new UnionFrame(this);
        }

        @Override
        int computeMinLen() {
            int m = Integer.MAX_VALUE;
            for (Node o : options) m = Math.min(m, o.minLen());
            return m;
        }
    }

    /** Picks the first option whose value may begin with the first character. */
    private static final class UnionFrame extends Frame {
        final UnionNode node;

        UnionFrame(UnionNode node) {
            this.node = node;
        }

        @Override
        Stack feed(Stack self, char c) {
            for (Node o : node.options) {
                Stack r = Stack.push(o.start(), self.rest).feed(c);
                if (r != null) return r;
            }
            return null;
        }

        @Override
        int min() {
            return node.minLen();
        }
    }

    /** A {@code $ref}, resolved on first use so schemas may be recursive. */
    static final class RefNode extends Node {
        Node target;

        @Override
        Frame start() {
            return target.start();
        }

        @Override
        int computeMinLen() {
            return target.minLen();
        }
    }
}
