package io.llmcp.constrain;

import io.llmcp.constrain.Grammar.Frame;
import io.llmcp.constrain.Grammar.Node;
import io.llmcp.constrain.Grammar.Stack;
import java.util.List;

/** The {@link Grammar}'s scalar values: literals (const, enum, true, false, null), strings and numbers. */
final class ScalarNodes {
    private ScalarNodes() {
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
}
