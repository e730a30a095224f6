package io.llmcp.template;

import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of template values, used where Jinja2 prints a non-string: {@code {{ x }}},
 * the {@code string} filter, {@code ~}. Java's toString would print {@code true}, {@code 1.0E20} or {@code {a=b}}
 * where transformers prints {@code True}, {@code 1e+20} and {@code {'a': 'b'}}.
 */
public final class PyRepr {
    private PyRepr() {
    }

    /** {@code str(value)}; {@code null} (None or undefined, which Jinjava does not tell apart) prints as nothing. */
    public static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String || value instanceof SafeString) {
            return value.toString();
        }
        return repr(value);
    }

    public static String repr(Object value) {
        if (PyNone.isNone(value)) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String || value instanceof SafeString || value instanceof Character) {
            return quote(value.toString());
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return "nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            return floatRepr(d);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(k)).append(": ").append(repr(v));
            });
            return out.append('}').toString();
        }
        if (value instanceof Map.Entry<?, ?> pair) {
            return "(" + repr(pair.getKey()) + ", " + repr(pair.getValue()) + ")";
        }
        if (value instanceof PyList wrapped && wrapped.toList() instanceof PyTuple tuple) {
            value = tuple; // Jinjava wraps lists it hands out
        }
        if (value instanceof PyTuple tuple) {
            StringBuilder out = new StringBuilder("(");
            for (Object item : tuple) {
                out.append(out.length() > 1 ? ", " : "").append(repr(item));
            }
            return out.append(tuple.size() == 1 ? ",)" : ")").toString();
        }
        if (value instanceof Iterable<?> items) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : items) {
                if (out.length() > 1) {
                    out.append(", ");
                }
                out.append(repr(item));
            }
            return out.append(']').toString();
        }
        return value.toString();
    }

    /** Python's shortest round-trip float repr: {@code 1.0}, {@code 0.0001}, {@code 1e-05}, {@code 1e+16}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = exact.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    private static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(q).toString();
    }
}
