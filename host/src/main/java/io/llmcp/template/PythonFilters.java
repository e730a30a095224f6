package io.llmcp.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Filters and tests whose Jinjava versions differ from the Jinja2 environment transformers renders with. Each
 * replaces Jinjava's filter of the same name.
 */
final class PythonFilters {
    private PythonFilters() {
    }

    static List<Filter> filters() {
        // string is Python's str(): True, 1.5, {'a': 1} rather than Java's true, {a=1}
        return List.of(new ToJson(), filter("trim", PythonFilters::trim), filter("items", PythonFilters::items),
                filter("string", (var, args) -> PyRepr.str(var)), new Indent(),
                new Aggregate("sum"), new Aggregate("min"), new Aggregate("max"), new Sort(), new DictSort(),
                new Default("default"), new Default("d"));
    }

    static List<ExpTest> tests() {
        // is none: Python's None only; undefined (a missing key or variable) is not none, as in Jinja2.
        // truthy: the test Jinjava's select/selectattr/reject/rejectattr apply when given no test name; replaced so
        // they use Python truthiness (the string "false" is truthy) like the rest of the engine.
        return List.of(test("iterable", PythonFilters::iterable), test("none", PyNone::isPyNone),
                test("truthy", PyTruth::evaluate));
    }

    /** {@code tojson(indent=None)} as transformers defines it: Python json.dumps spacing, no HTML escaping. */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.containsKey("indent") ? kwargs.get("indent") : args.length > 0 ? args[0] : null;
            return PyJson.dumps(var, indent instanceof Number n ? n.intValue() : null);
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyJson.dumps(var, args.length > 0 && args[0] != null ? Integer.valueOf(args[0]) : null);
        }
    }

    /** {@code indent(width=4, first=False, blank=False)} with Jinja2 3's keywords (Jinjava knows only "indentfirst"). */
    static final class Indent implements Filter {
        @Override
        public String getName() {
            return "indent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object width = kwargs.getOrDefault("width", args.length > 0 ? args[0] : 4L);
            boolean first = truthy(kwargs.getOrDefault("first", args.length > 1 ? args[1] : false));
            boolean blank = truthy(kwargs.getOrDefault("blank", args.length > 2 ? args[2] : false));
            String indention = width instanceof Number n ? " ".repeat(n.intValue()) : String.valueOf(width);
            List<String> lines = new ArrayList<>(List.of((PyRepr.str(var) + "\n").split("\r\n|\r|\n", -1)));
            lines.remove(lines.size() - 1); // what splitlines() drops after the added newline
            StringBuilder out = new StringBuilder(first ? indention : "");
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (i > 0) {
                    out.append('\n').append(blank || !line.isEmpty() ? indention : "");
                }
                out.append(line);
            }
            return out.toString();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

    }

    /** {@code sum}, {@code min}, {@code max}, optionally by {@code attribute}; integers stay integers. */
    static final class Aggregate implements Filter {
        private final String name;

        Aggregate(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object attribute = kwargs.get("attribute");
            List<Object> values = new ArrayList<>();
            if (var instanceof java.lang.Iterable<?> items) {
                for (Object item : items) {
                    values.add(attribute != null && item instanceof Map<?, ?> map ? map.get(attribute.toString()) : item);
                }
            }
            if (name.equals("sum")) {
                Object start = kwargs.getOrDefault("start", args.length > 1 ? args[1] : 0L);
                boolean integral = values.stream().allMatch(v -> v instanceof Long || v instanceof Integer)
                        && (start instanceof Long || start instanceof Integer);
                if (integral) {
                    return values.stream().mapToLong(v -> ((Number) v).longValue()).sum() + ((Number) start).longValue();
                }
                return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).sum() + ((Number) start).doubleValue();
            }
            Object best = null;
            for (Object value : values) {
                if (best == null || compare(value, best, false) * (name.equals("min") ? -1 : 1) > 0) {
                    best = value;
                }
            }
            return best;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    /** {@code sort(reverse=False, case_sensitive=False, attribute=None)} with Jinja2's keywords. */
    static final class Sort implements Filter {
        @Override
        public String getName() {
            return "sort";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            boolean reverse = truthy(kwargs.getOrDefault("reverse", args.length > 0 ? args[0] : false));
            boolean caseSensitive = truthy(kwargs.getOrDefault("case_sensitive", args.length > 1 ? args[1] : false));
            Object attribute = kwargs.getOrDefault("attribute", args.length > 2 ? args[2] : null);
            List<Object> items = new ArrayList<>();
            if (var instanceof java.lang.Iterable<?> iterable) {
                iterable.forEach(items::add);
            } else if (var instanceof Map<?, ?> map) {
                items.addAll(map.keySet());
            }
            java.util.Comparator<Object> order = (a, b) -> compare(key(a, attribute), key(b, attribute), caseSensitive);
            items.sort(reverse ? order.reversed() : order);
            return items;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    /** {@code dictsort(case_sensitive=False, by='key', reverse=False)}: (key, value) pairs as two-item lists. */
    static final class DictSort implements Filter {
        @Override
        public String getName() {
            return "dictsort";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            boolean caseSensitive = truthy(kwargs.getOrDefault("case_sensitive", args.length > 0 ? args[0] : false));
            int by = "value".equals(String.valueOf(kwargs.getOrDefault("by", args.length > 1 ? args[1] : "key"))) ? 1 : 0;
            boolean reverse = truthy(kwargs.getOrDefault("reverse", args.length > 2 ? args[2] : false));
            List<PyTuple> pairs = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                map.forEach((k, v) -> pairs.add(new PyTuple(k, v)));
            }
            java.util.Comparator<PyTuple> order = (a, b) -> compare(a.get(by), b.get(by), caseSensitive);
            pairs.sort(reverse ? order.reversed() : order);
            return pairs;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    private static Object key(Object item, Object attribute) {
        if (attribute == null) {
            return item;
        }
        Object value = item;
        for (String part : attribute.toString().split("\\.")) { // Jinja2 allows "a.b" paths
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b, boolean caseSensitive) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return caseSensitive ? x.compareTo(y) : x.toLowerCase().compareTo(y.toLowerCase());
        }
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return ((Comparable) a).compareTo(b);
    }

    static boolean truthy(Object value) {
        return PyTruth.evaluate(value);
    }

    /**
     * {@code default(value='', boolean=False)}: the value itself, not its string (Jinjava's version turns
     * {@code default(none)} into the text "None"); only undefined is replaced unless {@code boolean} is true.
     */
    static final class Default implements Filter {
        private final String name;

        Default(String name) {
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object fallback = kwargs.getOrDefault("default_value", args.length > 0 ? args[0] : "");
            boolean orFalsy = truthy(kwargs.getOrDefault("boolean", args.length > 1 ? args[1] : false));
            return var == null || (orFalsy && !truthy(var)) ? fallback : var;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }
    }

    /** A filter that is one function of its input and string arguments. */
    private static Filter filter(String name, BiFunction<Object, String[], Object> fn) {
        return new Filter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
                return fn.apply(var, args);
            }
        };
    }

    private static ExpTest test(String name, Predicate<Object> fn) {
        return new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
                return fn.test(var);
            }
        };
    }

    /** {@code trim(chars=None)} is Python's str.strip: Unicode whitespace, not just chars up to U+0020. */
    private static Object trim(Object var, String[] args) {
        return PyStrings.strip(PyRepr.str(var), args.length > 0 ? args[0] : null, true, true);
    }

    /** {@code items}: a mapping's (key, value) pairs, which {@code for k, v in ...} unpacks (Jinja2 3.1). */
    private static Object items(Object var, String[] args) {
        List<Object> pairs = new ArrayList<>();
        if (var instanceof Map<?, ?> map) map.forEach((k, v) -> pairs.add(new PyTuple(k, v)));
        return pairs;
    }

    /** {@code is iterable}: strings and mappings are iterable in Python (Jinjava says only lists and arrays). */
    private static boolean iterable(Object var) {
        return var instanceof java.lang.Iterable<?> || var instanceof Map<?, ?> || var instanceof CharSequence
                || var instanceof com.hubspot.jinjava.objects.SafeString || (var != null && var.getClass().isArray());
    }
}
