package io.llmcp.template;

import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.objects.SafeString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

/**
 * Binary operators where Python and Jinjava disagree, installed by {@link PythonSyntaxBuilder}.
 * {@code and} yields an operand; {@code +} on a string and None fails as in Python instead of splicing "null" into the prompt;
 * {@code ~} prints {@code True}/{@code 1.0} like Python's str(); {@code 'ab' * 3} repeats and
 * {@code '%s-%d' % (a, b)} formats, where Jinjava would try to turn the string into a number.
 */
final class PyOperators {
    private PyOperators() {
    }

    static final AstBinary.Operator ADD = new PyAdd();
    static final AstBinary.Operator CONCAT = new PyConcat();
    static final AstBinary.Operator MUL = new PyMul();
    static final AstBinary.Operator MOD = new PyMod();
    static final AstBinary.Operator AND = new PyAnd();

    /** {@code a and b} is {@code a} when falsy, else {@code b} (not a boolean), and skips {@code b} when it can. */
    static final class PyAnd implements AstBinary.Operator {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object first = left.eval(bindings, context);
            return PyTruth.evaluate(first) ? right.eval(bindings, context) : first;
        }

        @Override
        public String toString() {
            return "and";
        }
    }

    private static boolean isString(Object o) {
        return o instanceof String || o instanceof SafeString;
    }

    static final class PyAdd extends AdditionOperator {
        @Override
        protected Object apply(TypeConverter converter, Object o1, Object o2) {
            if (isString(o1) || isString(o2)) {
                if (PyNone.isNone(o1) || PyNone.isNone(o2)) {
                    throw new ELException("can only concatenate str (not \"NoneType\") to str");
                }
                return PyRepr.str(o1) + PyRepr.str(o2);
            }
            return super.apply(converter, o1, o2);
        }
    }

    static final class PyConcat extends AstBinary.SimpleOperator {
        @Override
        protected Object apply(TypeConverter converter, Object o1, Object o2) {
            return PyRepr.str(o1) + PyRepr.str(o2);
        }

        @Override
        public String toString() {
            return "~";
        }
    }

    static final class PyMul extends AstBinary.SimpleOperator {
        @Override
        protected Object apply(TypeConverter converter, Object o1, Object o2) {
            if ((isString(o1) || o1 instanceof Collection<?>) && o2 instanceof Number n) {
                return repeat(o1, n.intValue());
            }
            if ((isString(o2) || o2 instanceof Collection<?>) && o1 instanceof Number n) {
                return repeat(o2, n.intValue());
            }
            return NumberOperations.mul(converter, o1, o2);
        }

        private static Object repeat(Object value, int times) {
            if (isString(value)) {
                return value.toString().repeat(Math.max(0, times));
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                out.addAll((Collection<?>) value);
            }
            return out;
        }

        @Override
        public String toString() {
            return "*";
        }
    }

    static final class PyMod extends AstBinary.SimpleOperator {
        @Override
        protected Object apply(TypeConverter converter, Object o1, Object o2) {
            if (isString(o1)) {
                List<?> args = o2 instanceof List<?> list ? list : java.util.Collections.singletonList(o2);
                return percentFormat(o1.toString(), args);
            }
            return NumberOperations.mod(converter, o1, o2);
        }

        /** printf-style {@code %s %r %d %i %f %.2f %%}, as Python's str % args. */
        private static String percentFormat(String pattern, List<?> args) {
            StringBuilder out = new StringBuilder();
            int next = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c != '%' || i + 1 >= pattern.length()) {
                    out.append(c);
                    continue;
                }
                int j = i + 1;
                while (j < pattern.length() && "0123456789.-+ ".indexOf(pattern.charAt(j)) >= 0) {
                    j++;
                }
                char conversion = j < pattern.length() ? pattern.charAt(j) : '%';
                String spec = pattern.substring(i + 1, j);
                if (conversion == '%') {
                    out.append('%');
                } else {
                    if (next >= args.size()) {
                        throw new ELException("not enough arguments for format string");
                    }
                    Object arg = args.get(next++);
                    out.append(switch (conversion) {
                        case 'd', 'i' -> String.format("%" + spec + "d", ((Number) arg).longValue());
                        case 'f', 'F', 'e', 'g' -> String.format(java.util.Locale.ROOT,
                                "%" + (spec.contains(".") ? spec : spec + ".6") + conversion, ((Number) arg).doubleValue());
                        case 'r' -> PyRepr.repr(arg);
                        default -> String.format("%" + spec + "s", PyRepr.str(arg));
                    });
                }
                i = j;
            }
            return out.toString();
        }

        @Override
        public String toString() {
            return "%";
        }
    }
}
