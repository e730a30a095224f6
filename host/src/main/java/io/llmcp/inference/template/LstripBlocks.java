package io.llmcp.inference.template;

import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.tree.parse.NoteToken;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.tree.parse.TextToken;
import com.hubspot.jinjava.tree.parse.Token;
import com.hubspot.jinjava.tree.parse.TokenScanner;
import java.util.ArrayList;
import java.util.List;

/**
 * Jinja2's {@code lstrip_blocks}, the one template transform this package makes (Jinjava has no hook for it).
 *
 * <p>Jinja2 removes spaces and tabs before a block or comment tag only when they run from the start of the line:
 * {@code "  {% if %}"} loses its indent, but {@code "Tools: {% for %}"} and {@code "{{ x }} {% endfor %}"} keep
 * their space. Jinjava's lstripBlocks strips trailing blanks of every text before any tag, which eats those
 * spaces. So Jinjava's option stays off, and this class applies Jinja2's rule on Jinjava's own token stream
 * (its {@link TokenScanner}, not a regex): a text token followed by a tag or comment whose last line is only
 * blanks, and which starts the template or contains a newline, loses those blanks. Everything else is copied
 * byte for byte.
 */
final class LstripBlocks {
    private static final JinjavaConfig RAW_SCAN = JinjavaConfig.newBuilder()
            .withTrimBlocks(false)
            .withLstripBlocks(false)
            .build();

    private LstripBlocks() {
    }

    static String apply(String source) {
        List<Token> tokens = new ArrayList<>();
        new TokenScanner(source, RAW_SCAN).forEachRemaining(tokens::add);
        StringBuilder original = new StringBuilder(source.length());
        StringBuilder out = new StringBuilder(source.length());
        for (int i = 0; i < tokens.size(); i++) {
            String image = tokens.get(i).getImage();
            original.append(image);
            boolean beforeBlock = i + 1 < tokens.size()
                    && (tokens.get(i + 1) instanceof TagToken || tokens.get(i + 1) instanceof NoteToken);
            if (tokens.get(i) instanceof TextToken && beforeBlock) {
                int lineStart = image.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || i == 0) && blank(image, lineStart)) {
                    image = image.substring(0, lineStart);
                }
            }
            out.append(image);
        }
        // The scanner's tokens cover the source exactly; if some construct ever breaks that, change nothing.
        return original.toString().equals(source) ? out.toString() : source;
    }

    private static boolean blank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }
}
