package io.llmcp.constrain;

/**
 * A character-level pushdown recognizer for a subset of JSON compiled from a schema ({@link JsonSchemaCompiler}).
 * States are immutable {@link Stack}s of {@link Frame}s, so one state can be advanced along many candidate token
 * strings (a trie walk) without copying. Output is compact JSON (no whitespace between tokens), object
 * properties in the schema's order (optional ones may be left out), no additional properties.
 *
 * <p>Every state knows the fewest characters that complete the value ({@link Stack#min}); the decoder uses it to
 * keep the answer finishable within its token budget. The node kinds live in {@link ScalarNodes} (literals,
 * strings, numbers) and {@link CompositeNodes} (arrays, objects, unions, references).
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
}
