package io.llmcp.template;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.Context.Library;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import com.hubspot.jinjava.tree.parse.TagToken;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.IdentifierNode;
import jinjava.de.odysseus.el.tree.Tree;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.de.odysseus.el.tree.TreeBuilderException;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

/**
 * One Jinjava set up like the Jinja2 environment transformers renders chat templates with
 * ({@code trim_blocks}, {@code lstrip_blocks}, loop controls, Python methods and filters, {@code raise_exception},
 * {@code strftime_now}). Each difference from Jinja2 is closed at one of Jinjava's extension points: the expression
 * parser ({@link PythonSyntaxBuilder}), an EL resolver ({@link PyMethodResolver}), filters and tests
 * ({@link PythonFilters}), tags ({@link PythonForTag}, {@link GenerationTag}, {@link FilterBlockTag}), the
 * interpreter's printing ({@link PyRepr}); the only source transform is {@link Jinja2Whitespace}.
 * Templates are parsed once into a node tree; each render gets a fresh context.
 * Thread-safe: the Jinjava instance and parsed trees are shared, all render state is per call.
 */
final class TemplateEngine {
    static final TemplateEngine INSTANCE = new TemplateEngine();

    /** Output cap: a runaway template fails instead of filling the heap (prompts are far smaller). */
    private static final long MAX_OUTPUT_CHARS = 64L * 1024 * 1024;

    private final Jinjava jinjava;
    private final JinjavaConfig config;

    private TemplateEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethodResolver());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false) // Jinja2 rule applied by Jinja2Whitespace
                .withNestedInterpretationEnabled(false) // output containing "{{" must stay text
                .withFailOnUnknownTokens(false)          // Jinja2's Undefined is lenient
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withElResolver(resolver)
                .withEnableRecursiveMacroCalls(true) // Hermes' json_to_python_type calls itself
                .withMaxMacroRecursionDepth(64)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true) // `a + b | trim` filters b only, as in Jinja2
                        .withParseWhitespaceControlStrictly(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true) // {% for k in dict %} walks the keys
                        .withKeepNullableLoopValues(true)
                        .withUseTrimmingForNotesAndExpressions(true) // {{- x -}} trims too
                        .build())
                .withInterperterFactory(new PythonOutputInterpreterFactory())
                .withNodePreProcessor((node, interpreter) -> {
                    // raise_exception aborts: Jinjava records exceptions thrown inside expressions as errors and
                    // carries on, so the next node stops the render.
                    String raised = TemplateFunctions.raised();
                    if (raised != null) {
                        throw new TemplateFunctions.TemplateRaise(raised);
                    }
                })
                .build();
        jinjava = new PythonJinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", TemplateFunctions.class, "raiseException", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "strftime_now", TemplateFunctions.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "dict", TemplateFunctions.class, "dict", Object[].class));
        // Jinja2's literals that are plain names to Jinjava (its keywords are only true/false/null)
        jinjava.getGlobalContext().put("none", PyNone.INSTANCE);
        jinjava.getGlobalContext().put("None", PyNone.INSTANCE);
        jinjava.getGlobalContext().put("True", Boolean.TRUE);
        jinjava.getGlobalContext().put("False", Boolean.FALSE);
        jinjava.getGlobalContext().put("raise_exception", new TemplateFunctions.Builtin("raise_exception"));
        jinjava.getGlobalContext().put("strftime_now", new TemplateFunctions.Builtin("strftime_now"));
        jinjava.getGlobalContext().registerTag(new PythonForTag());
        jinjava.getGlobalContext().registerTag(new PyTruth.If());
        jinjava.getGlobalContext().registerTag(new GenerationTag());
        jinjava.getGlobalContext().registerTag(new FilterBlockTag());
        PythonFilters.filters().forEach(jinjava.getGlobalContext()::registerFilter);
        PythonFilters.tests().forEach(jinjava.getGlobalContext()::registerExpTest);
    }

    /** Parses once; a syntax error is a TEMPLATE_ERROR naming the line. */
    Node parse(String source) {
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter); // the expression parser reads its precedence option from here
        try {
            Node root = interpreter.parse(Jinja2Whitespace.apply(source));
            for (TemplateError error : interpreter.getErrorsCopy()) {
                // Jinjava only warns about an unclosed {{ or {# and prints it as text; Jinja2 refuses the template
                if (error.getSeverity() == TemplateError.ErrorType.FATAL
                        || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                    throw new TemplateException(Failure.TEMPLATE_ERROR, "chat template error at line "
                            + error.getLineno() + ": " + error.getMessage());
                }
            }
            checkExpressions(root, false);
            return root;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /**
     * Jinjava parses expressions only when it renders them and skips unknown filters silently; checking them here
     * makes a broken template fail when the model is loaded, as Jinja2's compiler does, rather than on some later
     * request or never. Like Jinja2, an unknown filter or test inside an {@code if} block or a conditional
     * expression is not an error until it runs ({@code soft}).
     */
    private void checkExpressions(Node node, boolean soft) {
        for (Node child : node.getChildren()) {
            String expression = expressionOf(child);
            if (expression != null && !expression.isBlank()) {
                Tree tree;
                try {
                    tree = EXPRESSION_CHECKER.build("#{" + expression.trim() + "}");
                } catch (TreeBuilderException e) {
                    throw templateError(child, "cannot parse '" + expression.trim() + "': " + e.getMessage());
                }
                boolean conditional = soft || PythonForTag.topLevelIf(expression) >= 0
                        || expression.matches("(?s).*\\sif\\s.*");
                for (IdentifierNode identifier : conditional ? List.<IdentifierNode>of() : tree.getIdentifierNodes()) {
                    String name = identifier.getName();
                    if (name.startsWith(ExtendedParser.FILTER_PREFIX) && jinjava.getGlobalContext()
                            .getFilter(name.substring(ExtendedParser.FILTER_PREFIX.length())) == null) {
                        throw templateError(child, "no filter named '"
                                + name.substring(ExtendedParser.FILTER_PREFIX.length()) + "'");
                    }
                    if (name.startsWith(ExtendedParser.EXPTEST_PREFIX) && jinjava.getGlobalContext()
                            .getExpTest(name.substring(ExtendedParser.EXPTEST_PREFIX.length())) == null) {
                        throw templateError(child, "no test named '"
                                + name.substring(ExtendedParser.EXPTEST_PREFIX.length()) + "'");
                    }
                }
            }
            boolean ifBlock = child.getMaster() instanceof TagToken tag && "if".equals(tag.getTagName());
            checkExpressions(child, soft || ifBlock);
        }
    }

    /** The expression a node evaluates: {@code {{ e }}}, {@code if/elif e}, {@code set x = e}, {@code for x in e}. */
    private static String expressionOf(Node node) {
        if (node instanceof ExpressionNode && node.getMaster() instanceof ExpressionToken token) {
            return token.getExpr();
        }
        if (!(node.getMaster() instanceof TagToken tag)) {
            return null;
        }
        String helpers = tag.getHelpers();
        return switch (tag.getTagName()) {
            case "if", "elif" -> helpers;
            case "set" -> {
                int eq = helpers.indexOf('=');
                if (eq < 0) {
                    yield null;
                }
                // {% set a, b = x, y %}: Jinjava's set tag evaluates the values as the list [x, y]
                String value = helpers.substring(eq + 1);
                yield helpers.substring(0, eq).contains(",") ? "[" + value + "]" : value;
            }
            case "for" -> {
                int in = helpers.indexOf(" in ");
                if (in < 0) {
                    yield null;
                }
                String iterable = helpers.substring(in + 4);
                int filter = PythonForTag.topLevelIf(iterable);
                yield filter < 0 ? iterable : iterable.substring(0, filter) + " and " + iterable.substring(filter + 2);
            }
            default -> null;
        };
    }

    private static TemplateException templateError(Node node, String problem) {
        return new TemplateException(Failure.TEMPLATE_ERROR,
                "chat template error at line " + node.getLineNumber() + ": " + problem);
    }

    private static final PythonSyntaxBuilder EXPRESSION_CHECKER =
            new PythonSyntaxBuilder(Feature.METHOD_INVOCATIONS, Feature.VARARGS);

    String render(Node root, Map<String, Object> bindings) {
        Context context = new RenderContext(jinjava.getGlobalContext(), bindings, config.getDisabled());
        JinjavaInterpreter interpreter = config.getInterpreterFactory().newInstance(jinjava, context, config);
        JinjavaInterpreter.pushCurrent(interpreter);
        TemplateFunctions.clearRaised();
        try {
            String output = interpreter.render(root, false);
            throwIfRaised();
            failOnFatal(interpreter);
            return output;
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            throwIfRaised();
            throw new TemplateException(Failure.TEMPLATE_ERROR, "chat template failed: " + rootMessage(e), null, e);
        } finally {
            TemplateFunctions.clearRaised();
            JinjavaInterpreter.popCurrent();
        }
    }

    private static void throwIfRaised() {
        String raised = TemplateFunctions.raised();
        if (raised != null) {
            throw new TemplateException(Failure.TEMPLATE_ERROR, raised);
        }
    }

    private static void failOnFatal(JinjavaInterpreter interpreter) {
        for (TemplateError error : interpreter.getErrorsCopy()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException(Failure.TEMPLATE_ERROR, "chat template error at line "
                        + error.getLineno() + ": " + error.getMessage());
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /**
     * A render's top scope, child of the shared global context that holds the filters, functions and tags.
     * Jinjava's contexts report every resolved expression, value and dependency up to their parent; stopping
     * that here keeps the shared global context read-only, so concurrent renders need no copy of it (copying
     * re-registers every library, which cost more than a typical render).
     */
    private static final class RenderContext extends Context {
        RenderContext(Context global, Map<String, ?> bindings, Map<Library, java.util.Set<String>> disabled) {
            super(global, bindings, disabled);
        }

        @Override
        public void addResolvedExpression(String expression) {
        }

        @Override
        public void addResolvedValue(String value) {
        }

        @Override
        public void addResolvedFunction(String function) {
        }

        @Override
        public void addDependency(String type, String identification) {
        }

        @Override
        public void addDependencies(com.google.common.collect.SetMultimap<String, String> dependencies) {
        }
    }

    /** Jinjava with {@link PythonSyntaxBuilder} as its expression parser (Jinjava hard-wires its own builder). */
    private static final class PythonJinjava extends Jinjava {
        private final ExpressionFactory expressionFactory;

        PythonJinjava(JinjavaConfig config) {
            super(config);
            Properties properties = new Properties();
            properties.setProperty(TreeBuilder.class.getName(), PythonSyntaxBuilder.class.getName());
            expressionFactory = new ExpressionFactoryImpl(properties, new PyTruth.Converter());
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressionFactory;
        }
    }

    /** Prints values the way Python's str() does ({@code True}, {@code {'a': 1}}) instead of Java's toString. */
    private static final class PythonOutputInterpreterFactory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PythonOutputInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            return new PythonOutputInterpreter(application, context, renderConfig);
        }
    }

    private static final class PythonOutputInterpreter extends JinjavaInterpreter {
        PythonOutputInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        PythonOutputInterpreter(Jinjava application, Context context, JinjavaConfig config) {
            super(application, context, config);
        }

        @Override
        public String getAsString(Object object) {
            return PyRepr.str(object);
        }
    }
}
