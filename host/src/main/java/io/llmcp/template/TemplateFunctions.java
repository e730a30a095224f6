package io.llmcp.template;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The globals transformers adds to every chat-template render: {@code raise_exception(message)} and
 * {@code strftime_now(format)}, plus Jinja2's {@code dict(...)}, which Jinjava lacks. Jinjava calls functions as static methods, so a raised message is parked in a
 * thread-local for the render that is running on this thread (see {@link TemplateEngine}).
 */
public final class TemplateFunctions {
    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private TemplateFunctions() {
    }

    /**
     * What the names {@code strftime_now} and {@code raise_exception} hold as variables, so that
     * {@code {% if strftime_now is defined %}} (Llama 3.2) sees them as transformers' globals are seen. Calls go to
     * the registered functions; this object only answers "defined" and prints like a Python builtin.
     */
    record Builtin(String name) {
        @Override
        public String toString() {
            return "<built-in function " + name + ">";
        }
    }

    /** Thrown by {@code raise_exception}; carries the template's message unchanged. */
    static final class TemplateRaise extends RuntimeException {
        TemplateRaise(String message) {
            super(message, null, false, false);
        }
    }

    public static Object raiseException(String message) {
        String text = message == null ? "None" : message;
        if (RAISED.get() == null) {
            RAISED.set(text);
        }
        throw new TemplateRaise(text);
    }

    /** The first message raised during the current render on this thread, or null. */
    static String raised() {
        return RAISED.get();
    }

    static void clearRaised() {
        RAISED.remove();
    }

    /** Jinja2's {@code dict(mapping, key=value...)}: an ordered dict from an optional mapping and keywords. */
    public static Map<String, Object> dict(Object... parameters) {
        Map<String, Object> dict = new LinkedHashMap<>();
        for (Object parameter : parameters) {
            if (parameter instanceof NamedParameter named) {
                dict.put(named.getName(), named.getValue());
            } else if (parameter instanceof Map<?, ?> map) {
                map.forEach((k, v) -> dict.put(String.valueOf(k), v));
            }
        }
        return dict;
    }

    public static String strftimeNow(String format) {
        return strftime(ZonedDateTime.now(), format);
    }

    /** Python's {@code datetime.strftime} for the directives templates use, in the C locale. */
    public static String strftime(ZonedDateTime t, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> out.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> out.append(String.format("%2d", t.getDayOfMonth()));
                case 'm' -> out.append(String.format("%02d", t.getMonthValue()));
                case 'Y' -> out.append(t.getYear());
                case 'y' -> out.append(String.format("%02d", t.getYear() % 100));
                case 'H' -> out.append(String.format("%02d", t.getHour()));
                case 'I' -> out.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'M' -> out.append(String.format("%02d", t.getMinute()));
                case 'S' -> out.append(String.format("%02d", t.getSecond()));
                case 'f' -> out.append(String.format("%06d", t.getNano() / 1000));
                case 'p' -> out.append(t.getHour() < 12 ? "AM" : "PM");
                case 'b', 'h' -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'B' -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'a' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'A' -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case 'w' -> out.append(t.getDayOfWeek().getValue() % 7);
                case 'j' -> out.append(String.format("%03d", t.getDayOfYear()));
                case 'Z' -> out.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case 'z' -> out.append(t.getOffset().getId().equals("Z") ? "+0000"
                        : t.getOffset().getId().replace(":", ""));
                case 'F' -> out.append(strftime(t, "%Y-%m-%d"));
                case 'T' -> out.append(strftime(t, "%H:%M:%S"));
                case '%' -> out.append('%');
                default -> out.append('%').append(d);
            }
        }
        return out.toString();
    }
}
