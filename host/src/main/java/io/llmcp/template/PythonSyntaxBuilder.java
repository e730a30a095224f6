package io.llmcp.template;

import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.AstNamedParameter;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.StringConcatOperator;
import com.hubspot.jinjava.el.ext.ExtendedScanner;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.Scanner.ScanException;
import jinjava.de.odysseus.el.tree.impl.Scanner.Symbol;
import jinjava.de.odysseus.el.tree.impl.Scanner.Token;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstBracket;
import jinjava.de.odysseus.el.tree.impl.ast.AstDot;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;

/**
 * Jinjava's expression grammar with Jinja2's precedence for {@code not}: in Jinja2 {@code not} binds looser than
 * comparisons and tests, so {@code not x is defined} is {@code not (x is defined)} and {@code not a == b} is
 * {@code not (a == b)}; Jinjava parses both as {@code (not x) ...}. DeepSeek-R1's template opens with
 * {@code {% if not add_generation_prompt is defined %}}, which Jinjava's reading turns into "never add it".
 * And Python slices with a step ({@code messages[::-1]}), which Jinjava's grammar rejects, and Python's string
 * escapes ({@code \u00e9}, {@code \x41}, unknown escapes kept verbatim), where Jinjava knows only six.
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
            putExtensionHandler(StringConcatOperator.TOKEN, new ExtensionHandler(ExtensionPoint.ADD) {
                @Override
                public AstNode createAstNode(AstNode... children) {
                    return new AstBinary(children[0], children[1], PyOperators.CONCAT);
                }
            });
        }

        /**
         * Filters and tests after a value, in any order and any number, as Jinja2's parse_filter_expr reads
         * them: {@code x | default(none) is none}, {@code x is string | string}. Jinjava stops after the first
         * run of filters, so {@code is} after a filter was a syntax error.
         */
        @Override
        protected AstNode filter(boolean required) throws ScanException, ParseException {
            AstNode v = unary(required);
            if (v == null) {
                return null;
            }
            while (true) {
                if ("|".equals(getToken().getImage()) && lookahead(0).getSymbol() == Symbol.IDENTIFIER) {
                    consumeToken(); // '|'
                    String name = consumeToken().getImage();
                    List<AstNode> arguments = new ArrayList<>(List.of(v, interpreter()));
                    if (at(Symbol.LPAREN)) {
                        AstParameters extra = params();
                        for (int i = 0; i < extra.getCardinality(); i++) {
                            arguments.add(extra.getChild(i));
                        }
                    }
                    v = createAstMethod(createAstDot(identifier(FILTER_PREFIX + name), "filter", true),
                            createAstParameters(arguments));
                } else if ("is".equals(getToken().getImage()) && "not".equals(lookahead(0).getImage())
                        && TEST_NAME_SYMBOLS.contains(lookahead(1).getSymbol())) {
                    consumeToken(); // 'is'
                    consumeToken(); // 'not'
                    v = test(v, "evaluateNegated");
                } else if ("is".equals(getToken().getImage()) && TEST_NAME_SYMBOLS.contains(lookahead(0).getSymbol())) {
                    consumeToken(); // 'is'
                    v = test(v, "evaluate");
                } else {
                    return v;
                }
            }
        }

        private AstNode test(AstNode subject, String method) throws ScanException, ParseException {
            String name = consumeToken().getImage();
            List<AstNode> arguments = new ArrayList<>(List.of(subject, interpreter()));
            AstNode argument = value(); // `is divisibleby 3`, `is equalto('x')`
            if (argument != null) {
                arguments.add(argument);
            }
            return createAstMethod(createAstDot(identifier(EXPTEST_PREFIX + name), method, true),
                    createAstParameters(arguments));
        }

        /** Tokens that can name a test: identifiers, {@code true}/{@code false}, comparison symbols, {@code in}. */
        private static final java.util.Set<Symbol> TEST_NAME_SYMBOLS = java.util.EnumSet.of(Symbol.IDENTIFIER,
                Symbol.EQ, Symbol.NE, Symbol.LT, Symbol.LE, Symbol.GT, Symbol.GE, Symbol.TRUE, Symbol.FALSE,
                CollectionMembershipOperator.TOKEN.getSymbol());

        /**
         * Call arguments where a keyword argument's value is a whole expression:
         * {@code namespace(last_query_index=messages|length - 1)} (Qwen3). Jinjava parses {@code name=value} as an
         * additive operator, so it reads that as {@code (last_query_index=messages|length) - 1}.
         */
        @Override
        protected AstParameters params(Symbol left, Symbol right) throws ScanException, ParseException {
            consumeToken(left);
            List<AstNode> arguments = new ArrayList<>();
            if (!at(right)) {
                arguments.add(argument());
                while (at(Symbol.COMMA)) {
                    consumeToken();
                    if (at(right)) {
                        break; // trailing comma, as Python allows
                    }
                    arguments.add(argument());
                }
            }
            consumeToken(right);
            return createAstParameters(arguments);
        }

        private AstNode argument() throws ScanException, ParseException {
            if (at(Symbol.IDENTIFIER) && "=".equals(lookahead(0).getImage())) {
                AstIdentifier name = identifier(consumeToken().getImage());
                consumeToken(); // '='
                return new AstNamedParameter(name, expr(true));
            }
            return expr(true);
        }

        /** Python's meaning of {@code +}, {@code *} and {@code %} on strings (see {@link PyOperators}). */
        @Override
        protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
            if (operator == AdditionOperator.OP) {
                operator = PyOperators.ADD;
            } else if (operator == AstBinary.MUL) {
                operator = PyOperators.MUL;
            } else if (operator == AstBinary.MOD) {
                operator = PyOperators.MOD;
            } else if (operator == AstBinary.AND) {
                operator = PyOperators.AND;
            }
            return super.createAstBinary(left, right, operator);
        }

        @Override
        protected Scanner createScanner(String expression) {
            return new PythonScanner(expression);
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

    /** String literals decoded as Python's unicode-escape, which is what Jinja2's lexer applies. */
    static final class PythonScanner extends ExtendedScanner {
        PythonScanner(String input) {
            super(input);
        }

        @Override
        protected Token nextString() throws ScanException {
            String input = getInput();
            char quote = input.charAt(getPosition());
            builder.setLength(0);
            int i = getPosition() + 1;
            while (i < input.length()) {
                char c = input.charAt(i++);
                if (c == quote) {
                    return token(Symbol.STRING, builder.toString(), i - getPosition());
                }
                if (c != '\\') {
                    builder.append(c);
                    continue;
                }
                if (i == input.length()) {
                    break;
                }
                char e = input.charAt(i++);
                switch (e) {
                    case '\n' -> { } // backslash-newline continues the line
                    case '\\', '\'', '"' -> builder.append(e);
                    case 'n' -> builder.append('\n');
                    case 't' -> builder.append('\t');
                    case 'r' -> builder.append('\r');
                    case 'b' -> builder.append('\b');
                    case 'f' -> builder.append('\f');
                    case 'v' -> builder.append('\u000b');
                    case 'a' -> builder.append('\u0007');
                    case 'x', 'u', 'U' -> {
                        int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                        if (i + digits > input.length()) {
                            throw new ScanException(getPosition(), "truncated \\" + e + " escape", digits + " hex digits");
                        }
                        try {
                            builder.appendCodePoint(Integer.parseInt(input.substring(i, i + digits), 16));
                        } catch (IllegalArgumentException bad) {
                            throw new ScanException(getPosition(), "bad \\" + e + " escape", digits + " hex digits");
                        }
                        i += digits;
                    }
                    default -> {
                        if (e >= '0' && e <= '7') { // octal, up to three digits
                            int end = i - 1;
                            while (end < input.length() && end < i + 2 && input.charAt(end) >= '0' && input.charAt(end) <= '7') {
                                end++;
                            }
                            builder.append((char) Integer.parseInt(input.substring(i - 1, end), 8));
                            i = end;
                        } else {
                            builder.append('\\').append(e); // Python keeps unknown escapes as written
                        }
                    }
                }
            }
            throw new ScanException(getPosition(), "unterminated string", String.valueOf(quote));
        }
    }
}
