package io.llmcp.template;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.tree.parse.NoteToken;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.tree.parse.TextToken;
import com.hubspot.jinjava.tree.parse.Token;
import com.hubspot.jinjava.tree.parse.TokenScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * The two Jinja2 whitespace rules Jinjava gets wrong and offers no hook for, applied to the template source on
 * Jinjava's own token stream (its {@link TokenScanner}, not a regex) before it is parsed. This is the only change
 * made to a template's text; everything else is copied byte for byte.
 *
 * <ol>
 * <li>{@code lstrip_blocks}: Jinja2 removes spaces and tabs before a block or comment tag only when they run from
 * the start of the line: {@code "  {% if %}"} loses its indent, {@code "Tools: {% for %}"} and
 * {@code "{{ x }} {% endfor %}"} keep their space. Jinjava strips trailing blanks before every tag, so its option
 * stays off and the rule is applied here.</li>
 * <li>Comments: Jinjava drops {@code {# #}} and merges the text on both sides, so a later {@code {%-} eats
 * whitespace from before the comment too, and {@code -#}} looks at the wrong token. Here each comment is removed
 * with Jinja2's effects on its neighbours ({@code {#-} strips whitespace before it, {@code -#}} after it,
 * {@code trim_blocks} drops one newline after it) and replaced by {@code {{ '' }}}, an empty expression that keeps
 * the text before it out of reach of a following {@code {%-}, as the comment did.</li>
 * </ol>
 *
 * <p>Before both, {@link #separateClosingBraces} makes the braces of a dict literal that ends right before the
 * closing {@code }}} of an expression ({@code {{ {'a': {'b': 1}} }}}) unambiguous for Jinjava's scanner, as
 * Jinja2's lexer does by counting brackets.
 */
final class Jinja2Whitespace {
    private static final JinjavaConfig RAW_SCAN = JinjavaConfig.newBuilder()
            .withTrimBlocks(false)
            .withLstripBlocks(false)
            .build();
    private static final String COMMENT_BARRIER = "{{ '' }}";

    private Jinja2Whitespace() {
    }

    static String apply(String template) {
        String source = separateClosingBraces(template);
        List<Token> tokens = new ArrayList<>();
        new TokenScanner(source, RAW_SCAN).forEachRemaining(tokens::add);
        List<String> out = new ArrayList<>(tokens.size());
        StringBuilder original = new StringBuilder(source.length());
        for (Token token : tokens) {
            original.append(token.getImage());
            out.add(token.getImage());
        }
        // The scanner's tokens cover the source exactly; if some construct ever breaks that, change nothing.
        if (!original.toString().equals(source)) {
            return source;
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (!(tokens.get(i) instanceof TextToken)) {
                continue;
            }
            boolean beforeBlock = i + 1 < tokens.size()
                    && (tokens.get(i + 1) instanceof TagToken || tokens.get(i + 1) instanceof NoteToken);
            if (beforeBlock) {
                out.set(i, lstrip(out.get(i), i == 0));
            }
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (!(tokens.get(i) instanceof NoteToken note) || !note.getImage().endsWith("#}")) {
                continue; // an unclosed comment stays, for the parser to reject
            }
            String image = note.getImage();
            if (image.startsWith("{#-") && i > 0 && tokens.get(i - 1) instanceof TextToken) {
                out.set(i - 1, PyStrings.strip(out.get(i - 1), null, false, true));
            }
            if (i + 1 < tokens.size() && tokens.get(i + 1) instanceof TextToken) {
                String next = out.get(i + 1);
                if (image.endsWith("-#}")) {
                    next = PyStrings.strip(next, null, true, false);
                } else if (next.startsWith("\r\n")) {
                    next = next.substring(2); // trim_blocks
                } else if (next.startsWith("\n")) {
                    next = next.substring(1);
                }
                out.set(i + 1, next);
            }
            out.set(i, COMMENT_BARRIER);
        }
        return String.join("", out);
    }

    private static final java.util.regex.Pattern END_RAW =
            java.util.regex.Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");

    /**
     * Jinja2's lexer does not end an expression at {@code }}} while a bracket opened inside it is still open (it
     * counts {@code ( [ {} outside string literals), so {@code {{ {'a': {'b': 1}} }}} is one expression. Jinjava's
     * scanner ends it at the first {@code }}}. Inside {@code {{ }}} and {@code {% %}}, a {@code }} that closes a
     * bracket and is directly followed by another {@code }} gets a space after it; nothing else changes (expression
     * whitespace is insignificant, and text, string literals, comments and raw blocks are left alone).
     */
    static String separateClosingBraces(String source) {
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = source.length();
        while (i < n - 1) {
            int start = source.indexOf('{', i);
            if (start < 0 || start >= n - 1) {
                break;
            }
            char kind = source.charAt(start + 1);
            if (kind == '#') {
                int end = source.indexOf("#}", start + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (kind != '{' && kind != '%') {
                i = start + 1;
                continue;
            }
            int depth = 0;
            char quote = 0;
            int j = start + 2;
            for (; j < n; j++) {
                char c = source.charAt(j);
                if (quote != 0) {
                    if (c == '\\') {
                        j++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (depth == 0 && (kind == '{' ? source.startsWith("}}", j) : source.startsWith("%}", j))) {
                    break;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth = Math.max(0, depth - 1);
                    if (c == '}' && j + 1 < n && source.charAt(j + 1) == '}') {
                        if (out == null) {
                            out = new StringBuilder(n + 8);
                        }
                        out.append(source, copied, j + 1).append(' ');
                        copied = j + 1;
                    }
                }
            }
            i = j + 2;
            if (kind == '%' && j < n && source.substring(start + 2, j).replace("-", "").replace("+", "").trim()
                    .equals("raw")) {
                java.util.regex.Matcher endRaw = END_RAW.matcher(source);
                i = endRaw.find(i) ? endRaw.end() : n;
            }
        }
        return out == null ? source : out.append(source, copied, n).toString();
    }

    /** A text before a block tag loses the blanks that start its last line (or the template). */
    private static String lstrip(String text, boolean startsTemplate) {
        int lineStart = text.lastIndexOf('\n') + 1;
        if (lineStart == 0 && !startsTemplate) {
            return text;
        }
        for (int i = lineStart; i < text.length(); i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return text;
            }
        }
        return text.substring(0, lineStart);
    }
}
