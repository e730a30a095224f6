package io.llmcp.template;

import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code json.dumps(value, ensure_ascii=False, indent=indent)} as transformers' {@code tojson} filter calls it, so
 * tool schemas reach the model spelled exactly as in Python: {@code ", "} and {@code ": "} separators on one line,
 * {@code ","} line ends plus {@code indent} spaces per level when indenting, key order kept, non-ASCII unescaped.
 * (Jackson's compact output, which Jinjava's own {@code tojson} uses, has no spaces.)
 */
public final class PyJson {
    private PyJson() {
    }

    public static String dumps(Object value, Integer indent) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, Integer indent, int depth) {
        if (PyNone.isNone(value)) {
            out.append("null");
        } else if (value instanceof String || value instanceof SafeString || value instanceof Character) {
            quote(out, value.toString());
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            out.append(PyRepr.floatRepr(((Number) value).doubleValue()));
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                separator(out, first, indent, depth + 1);
                first = false;
                quote(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), indent, depth + 1);
            }
            newline(out, indent, depth);
            out.append('}');
        } else if (value instanceof Iterable<?> || value instanceof Object[]) {
            Iterable<?> items = value instanceof Object[] a ? java.util.Arrays.asList(a) : (Iterable<?>) value;
            if (!items.iterator().hasNext()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                separator(out, first, indent, depth + 1);
                first = false;
                write(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.append(']');
        } else {
            quote(out, value.toString());
        }
    }

    private static void separator(StringBuilder out, boolean first, Integer indent, int depth) {
        if (!first) {
            out.append(indent == null ? ", " : ",");
        }
        newline(out, indent, depth);
    }

    private static void newline(StringBuilder out, Integer indent, int depth) {
        if (indent != null) {
            out.append('\n').append(" ".repeat(indent * depth));
        }
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
