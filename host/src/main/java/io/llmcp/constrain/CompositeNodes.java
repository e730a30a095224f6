package io.llmcp.constrain;

import io.llmcp.constrain.Grammar.Frame;
import io.llmcp.constrain.Grammar.Node;
import io.llmcp.constrain.Grammar.Stack;
import java.util.ArrayList;
import java.util.List;

/** The {@link Grammar}'s structured values: arrays, objects, unions (anyOf, oneOf, type lists) and {@code $ref}s. */
final class CompositeNodes {
    private CompositeNodes() {
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
