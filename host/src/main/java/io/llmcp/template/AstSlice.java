package io.llmcp.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * Python's {@code seq[start:stop:step]} on lists and strings, with the step Jinjava's range brackets lack
 * (Qwen3 walks {@code messages[::-1]}) and Python's clamping of out-of-range bounds. Strings are sliced by code
 * point, as Python does, so an emoji is never cut in half.
 */
final class AstSlice extends AstRightValue {
    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    AstSlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object value = base.eval(bindings, context);
        Integer from = bound(start, bindings, context);
        Integer to = bound(stop, bindings, context);
        Integer by = bound(step, bindings, context);
        if (value instanceof CharSequence text) {
            int[] codePoints = text.toString().codePoints().toArray();
            StringBuilder out = new StringBuilder();
            for (int i : indices(codePoints.length, from, to, by)) {
                out.appendCodePoint(codePoints[i]);
            }
            return out.toString();
        }
        List<?> items = value instanceof List<?> list ? list
                : value instanceof Object[] array ? Arrays.asList(array)
                : value instanceof Iterable<?> iterable ? toList(iterable) : null;
        if (items == null) {
            throw new ELException("cannot slice " + (value == null ? "None" : value.getClass().getSimpleName()));
        }
        List<Object> out = new ArrayList<>();
        for (int i : indices(items.size(), from, to, by)) {
            out.add(items.get(i));
        }
        return out;
    }

    /** The positions {@code range(*slice(start, stop, step).indices(length))} visits. */
    static int[] indices(int length, Integer start, Integer stop, Integer step) {
        int by = step == null ? 1 : step;
        if (by == 0) {
            throw new ELException("slice step cannot be zero");
        }
        int from = start == null ? (by > 0 ? 0 : length - 1) : clamp(start, length, by);
        int to = stop == null ? (by > 0 ? length : -1) : clamp(stop, length, by);
        int count = by > 0 ? Math.max(0, (to - from + by - 1) / by) : Math.max(0, (from - to - by - 1) / -by);
        int[] positions = new int[count];
        for (int k = 0; k < count; k++) {
            positions[k] = from + k * by;
        }
        return positions;
    }

    private static int clamp(int index, int length, int step) {
        if (index < 0) {
            index += length;
            if (index < 0) {
                return step < 0 ? -1 : 0;
            }
            return index;
        }
        return index >= length ? (step < 0 ? length - 1 : length) : index;
    }

    private static Integer bound(AstNode node, Bindings bindings, ELContext context) {
        if (node == null) {
            return null;
        }
        Object value = node.eval(bindings, context);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw new ELException("slice indices must be integers or None");
        }
        return number.intValue();
    }

    private static List<Object> toList(Iterable<?> iterable) {
        List<Object> list = new ArrayList<>();
        iterable.forEach(list::add);
        return list;
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        base.appendStructure(b, bindings);
        b.append('[');
        append(b, start, bindings);
        b.append(':');
        append(b, stop, bindings);
        if (step != null) {
            b.append(':');
            step.appendStructure(b, bindings);
        }
        b.append(']');
    }

    private static void append(StringBuilder b, AstNode node, Bindings bindings) {
        if (node != null) {
            node.appendStructure(b, bindings);
        }
    }

    @Override
    public int getCardinality() {
        return 4;
    }

    @Override
    public AstNode getChild(int i) {
        return switch (i) {
            case 0 -> base;
            case 1 -> start;
            case 2 -> stop;
            case 3 -> step;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "[:]";
    }
}
