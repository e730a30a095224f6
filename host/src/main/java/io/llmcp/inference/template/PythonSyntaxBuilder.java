package io.llmcp.inference.template;

import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression grammar with Jinja2's precedence for {@code not}: in Jinja2 {@code not} binds looser than
 * comparisons and tests, so {@code not x is defined} is {@code not (x is defined)} and {@code not a == b} is
 * {@code not (a == b)}; Jinjava parses both as {@code (not x) ...}. DeepSeek-R1's template opens with
 * {@code {% if not add_generation_prompt is defined %}}, which Jinjava's reading turns into "never add it".
 * And Python slices with a step ({@code messages[::-1]}), which Jinjava's grammar rejects.
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

        /**
         * Postfix operators on a value: {@code .name}, {@code .name(args)}, {@code [key]}, {@code [key](args)} as
         * Jinjava parses them, plus Python slices {@code [start:stop:step]} with any part left out, which become an
         * {@link AstSlice}. Filters and tests are parsed one level up (natural operator precedence is on).
         */
        @Override
        protected AstNode value() throws Scanner.ScanException, ParseException {
            boolean lvalue = true;
            AstNode v = nonliteral();
            if (v == null) {
                v = literal();
                if (v == null) {
                    return null;
                }
                lvalue = false;
            }
            while (true) {
                if (getToken().getSymbol() == Scanner.Symbol.DOT) {
                    consumeToken();
                    AstDot dot = createAstDot(v, consumeToken(Scanner.Symbol.IDENTIFIER).getImage(), lvalue);
                    v = callable() ? createAstMethod(dot, params()) : dot;
                } else if (getToken().getSymbol() == Scanner.Symbol.LBRACK) {
                    consumeToken();
                    v = subscript(v, lvalue);
                } else {
                    return v;
                }
            }
        }

        private AstNode subscript(AstNode base, boolean lvalue) throws Scanner.ScanException, ParseException {
            AstNode start = at(Scanner.Symbol.COLON) ? null : expr(true);
            if (at(Scanner.Symbol.RBRACK)) {
                consumeToken();
                AstBracket bracket = createAstBracket(base, start, lvalue, !context.isEnabled(Feature.NULL_PROPERTIES));
                return callable() ? createAstMethod(bracket, params()) : bracket;
            }
            consumeToken(Scanner.Symbol.COLON);
            AstNode stop = at(Scanner.Symbol.COLON) || at(Scanner.Symbol.RBRACK) ? null : expr(true);
            AstNode step = null;
            if (at(Scanner.Symbol.COLON)) {
                consumeToken();
                step = at(Scanner.Symbol.RBRACK) ? null : expr(true);
            }
            consumeToken(Scanner.Symbol.RBRACK);
            return new AstSlice(base, start, stop, step);
        }

        private boolean at(Scanner.Symbol symbol) {
            return getToken().getSymbol() == symbol;
        }

        private boolean callable() {
            return at(Scanner.Symbol.LPAREN) && context.isEnabled(Feature.METHOD_INVOCATIONS);
        }
    }
}
