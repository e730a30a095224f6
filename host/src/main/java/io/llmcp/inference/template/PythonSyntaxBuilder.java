package io.llmcp.inference.template;

import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression grammar with Jinja2's precedence for {@code not}: in Jinja2 {@code not} binds looser than
 * comparisons and tests, so {@code not x is defined} is {@code not (x is defined)} and {@code not a == b} is
 * {@code not (a == b)}; Jinjava parses both as {@code (not x) ...}. DeepSeek-R1's template opens with
 * {@code {% if not add_generation_prompt is defined %}}, which Jinjava's reading turns into "never add it".
 *
 * <p>Public with a no-arg constructor because JUEL's ExpressionFactoryImpl instantiates it by class name.
 */
public class PythonSyntaxBuilder extends ExtendedSyntaxBuilder {
    private static final long serialVersionUID = 1L;

    public PythonSyntaxBuilder() {
        super();
    }

    public PythonSyntaxBuilder(Feature... features) {
        super(features);
    }

    @Override
    protected Parser createParser(String expression) {
        return new PythonParser(this, expression);
    }

    static final class PythonParser extends ExtendedParser {
        PythonParser(ExtendedSyntaxBuilder builder, String input) {
            super(builder, input);
        }

        /** The level between {@code and} and the comparisons: {@code not}* followed by an equality. */
        @Override
        protected AstNode eq(boolean required) throws Scanner.ScanException, ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.eq(required);
        }
    }
}
