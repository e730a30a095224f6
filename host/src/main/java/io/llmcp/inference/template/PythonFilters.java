package io.llmcp.inference.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Filters and tests whose Jinjava versions differ from the Jinja2 environment transformers renders with. Each
 * replaces Jinjava's filter of the same name.
 */
final class PythonFilters {
    private PythonFilters() {
    }

    static List<Filter> filters() {
        return List.of(new ToJson(), new Trim(), new Items(), new StringFilter());
    }

    static List<ExpTest> tests() {
        return List.of(new Iterable());
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

    /** {@code trim(chars=None)} is Python's str.strip: Unicode whitespace, not just chars up to U+0020. */
    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyStrings.strip(PyRepr.str(var), args.length > 0 ? args[0] : null, true, true);
        }
    }

    /** {@code items}: a mapping's (key, value) pairs, which {@code for k, v in ...} unpacks (Jinja2 3.1). */
    static final class Items implements Filter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<Object> pairs = new ArrayList<>();
            if (var instanceof Map<?, ?> map) {
                map.forEach((k, v) -> pairs.add(new ArrayList<>(Arrays.asList(k, v))));
            }
            return pairs;
        }
    }

    /** {@code string} is Python's str(): True, 1.5, {'a': 1} rather than Java's true, {a=1}. */
    static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyRepr.str(var);
        }
    }

    /** {@code is iterable}: strings and mappings are iterable in Python (Jinjava says only lists and arrays). */
    static final class Iterable implements ExpTest {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof java.lang.Iterable<?> || var instanceof Map<?, ?> || var instanceof CharSequence
                    || var instanceof com.hubspot.jinjava.objects.SafeString || (var != null && var.getClass().isArray());
        }
    }
}
