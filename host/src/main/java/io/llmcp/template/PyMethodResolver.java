package io.llmcp.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python methods HF chat templates call on strings, dicts and lists ({@code content.strip()},
 * {@code content.split('</think>')[-1]}, {@code tool.items()}, {@code message.get('tool_calls')}...).
 *
 * <p>Jinjava resolves {@code x.m(...)} to a Java method through an allowlist: {@code startswith} does not exist in
 * Java, {@code "a".split(".")} would be a regex, and {@code strip} is blocked. This resolver sits first in the
 * EL chain and answers exactly these names with Python semantics; any other call falls through to Jinjava's own
 * resolvers (so filters, functions and {@code loop.cycle} are untouched).
 */
final class PyMethodResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base == null || method == null) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : unwrapNamed(params);
        String name = method.toString();
        Object result;
        if (base instanceof String || base instanceof SafeString) {
            result = stringMethod(base.toString(), name, args);
        } else if (base instanceof Map<?, ?> map) {
            result = mapMethod(map, name, args);
        } else if (base instanceof List<?> list) {
            result = listMethod(list, name, args);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object stringMethod(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> PyStrings.strip(s, str(a, 0), true, true);
            case "lstrip" -> PyStrings.strip(s, str(a, 0), true, false);
            case "rstrip" -> PyStrings.strip(s, str(a, 0), false, true);
            case "startswith" -> affix(s, arg(a, 0), true);
            case "endswith" -> affix(s, arg(a, 0), false);
            case "split" -> new ArrayList<Object>(PyStrings.split(s, str(a, 0), integer(a, 1, -1)));
            case "rsplit" -> new ArrayList<Object>(PyStrings.rsplit(s, str(a, 0), integer(a, 1, -1)));
            case "splitlines" -> splitLines(s);
            case "upper" -> s.toUpperCase();
            case "lower" -> s.toLowerCase();
            case "title" -> PyStrings.title(s);
            case "capitalize" -> PyStrings.capitalize(s);
            case "replace" -> PyStrings.replace(s, str(a, 0), str(a, 1), integer(a, 2, -1));
            case "join" -> join(s, arg(a, 0));
            case "count" -> (long) PyStrings.count(s, str(a, 0));
            case "find" -> (long) s.indexOf(str(a, 0));
            case "rfind" -> (long) s.lastIndexOf(str(a, 0));
            case "removeprefix" -> s.startsWith(str(a, 0)) ? s.substring(str(a, 0).length()) : s;
            case "removesuffix" -> s.endsWith(str(a, 0)) && !str(a, 0).isEmpty()
                    ? s.substring(0, s.length() - str(a, 0).length()) : s;
            case "isdigit" -> PyStrings.all(s, Character::isDigit);
            case "isalpha" -> PyStrings.all(s, Character::isLetter);
            case "isalnum" -> PyStrings.all(s, Character::isLetterOrDigit);
            case "isspace" -> PyStrings.all(s, c -> PyStrings.isSpace((char) c));
            case "isupper" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "islower" -> s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "format" -> format(s, a);
            default -> NOT_HANDLED;
        };
    }

    private static Object mapMethod(Map<?, ?> map, String name, Object[] a) {
        return switch (name) {
            case "items" -> {
                List<Object> pairs = new ArrayList<>(map.size());
                map.forEach((k, v) -> pairs.add(new PyTuple(k, v)));
                yield pairs;
            }
            case "keys" -> new ArrayList<Object>(map.keySet());
            case "values" -> new ArrayList<Object>(map.values());
            case "get" -> map.containsKey(arg(a, 0)) ? map.get(arg(a, 0)) : a.length > 1 ? a[1] : PyNone.INSTANCE;
            default -> NOT_HANDLED;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object listMethod(List<?> list, String name, Object[] a) {
        List<Object> l = (List<Object>) list;
        return switch (name) {
            case "append" -> {
                l.add(arg(a, 0));
                yield null;
            }
            case "extend" -> {
                l.addAll((Collection<?>) arg(a, 0));
                yield null;
            }
            case "pop" -> l.remove(a.length == 0 ? l.size() - 1 : Math.floorMod(integer(a, 0, -1), l.size()));
            case "index" -> (long) l.indexOf(arg(a, 0));
            case "count" -> l.stream().filter(x -> Objects.equals(x, arg(a, 0))).count();
            default -> NOT_HANDLED;
        };
    }

    private static boolean affix(String s, Object affix, boolean prefix) {
        if (affix instanceof Iterable<?> options) { // Python accepts a tuple of alternatives
            for (Object option : options) {
                if (affix(s, option, prefix)) {
                    return true;
                }
            }
            return false;
        }
        String text = String.valueOf(affix);
        return prefix ? s.startsWith(text) : s.endsWith(text);
    }

    private static String join(String separator, Object items) {
        StringBuilder out = new StringBuilder();
        Iterable<?> iterable = items instanceof Iterable<?> it ? it
                : items instanceof String str ? str.codePoints().mapToObj(Character::toString).toList() : List.of();
        for (Iterator<?> it = iterable.iterator(); it.hasNext(); ) {
            out.append(PyRepr.str(it.next()));
            if (it.hasNext()) {
                out.append(separator);
            }
        }
        return out.toString();
    }

    /** {@code str.format} with {@code {}} and {@code {0}} fields (no format specs), enough for templates. */
    private static String format(String pattern, Object[] a) {
        StringBuilder out = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < pattern.length() && pattern.charAt(i + 1) == c) {
                out.append(c);
                i++;
            } else if (c == '{') {
                int close = pattern.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("Single '{' encountered in format string");
                }
                String field = pattern.substring(i + 1, close);
                int index = field.isEmpty() ? auto++ : Integer.parseInt(field);
                out.append(PyRepr.str(arg(a, index)));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<Object> splitLines(String s) {
        List<Object> lines = new ArrayList<>(List.of(s.split("\\r\\n|\\r|\\n", -1)));
        if (lines.get(lines.size() - 1).toString().isEmpty()) {
            lines.remove(lines.size() - 1); // "a\n".splitlines() == ['a'], "".splitlines() == []
        }
        return lines;
    }

    private static Object[] unwrapNamed(Object[] params) {
        Object[] out = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            out[i] = params[i] instanceof NamedParameter named ? named.getValue() : params[i];
        }
        return out;
    }

    private static Object arg(Object[] a, int i) {
        return i < a.length ? a[i] : null;
    }

    private static String str(Object[] a, int i) {
        Object value = arg(a, i);
        return value == null ? null : value.toString();
    }

    private static int integer(Object[] a, int i, int fallback) {
        Object value = arg(a, i);
        return value instanceof Number n ? n.intValue() : fallback;
    }

    /** {@code loop.previtem}/{@code loop.nextitem}; {@code text[i]}: one code point, negative indices from the end (Jinjava has no string indexing). */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof ForLoop loop && ("previtem".equals(property) || "nextitem".equals(property))) {
            context.setPropertyResolved(true);
            return PythonForTag.neighbour(loop, "previtem".equals(property) ? -1 : 1);
        }
        Integer position = property instanceof Number n ? Integer.valueOf(n.intValue()) : integerName(property);
        if ((base instanceof String || base instanceof SafeString) && position != null) {
            String s = base.toString();
            int length = s.codePointCount(0, s.length());
            int index = position < 0 ? position + length : position;
            context.setPropertyResolved(true);
            if (index < 0 || index >= length) {
                return null; // Python raises IndexError; Jinja2 would render an Undefined, i.e. nothing
            }
            int at = s.offsetByCodePoints(0, index);
            return s.substring(at, s.offsetByCodePoints(at, 1));
        }
        return null;
    }

    /** Jinjava hands bracket indexes over as strings ("6", "-2"). */
    private static Integer integerName(Object property) {
        if (property instanceof String name && name.matches("-?\\d{1,9}")) {
            return Integer.valueOf(name);
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
