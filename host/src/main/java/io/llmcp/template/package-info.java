/**
 * Chat templates: a model's Jinja chat template rendered the way transformers' {@code apply_chat_template}
 * (and transformers.js) render it, on Jinjava.
 *
 * <p>Use: {@code ChatTemplate.fromModelFiles(tokenizerConfigJson, chatTemplateJinjaOrNull, nameOrNull)} once per
 * model (it parses and checks the template), then {@code render(messages, addGenerationPrompt, extraVars)} per
 * request; {@link io.llmcp.template.Message#listFrom} turns a request's {@code messages} (as databind reads the
 * JSON: maps and lists, never the wire's tree) into messages. The rendered prompt already holds the special tokens the template writes ({@code bos_token}...), so
 * tokenize it without adding special tokens again.
 *
 * <h2>Conformance</h2>
 * The repository's own suite, {@code ChatTemplateReferenceTest}: the templates and cases in
 * {@code src/test/resources/chat-templates/conformance/} (written for this project), compared byte for byte with
 * what the reference engine {@code @huggingface/jinja} renders ({@code expected.json}, produced by
 * {@code src/test/template-cases/generate.mjs}). Further cases in {@code src/test/resources/chat-templates} match
 * Python Jinja2 set up like transformers. An optional external corpus of real chat templates (a directory named by
 * {@code -Dllmcp.sharedDir}) is checked too when one is given; its tests are reported as skipped otherwise, so a
 * plain clone needs nothing outside the repository. Known difference: none among the cases; the cases
 * leave out the places where {@code @huggingface/jinja} itself departs from Jinja2 (it prints booleans, None and
 * containers JS-style, ignores the argument of {@code strip(chars)}, and lacks some filters), since this engine
 * follows Jinja2 there.
 *
 * <h2>Jinjava internals this package relies on</h2>
 * The dialect layer sits on Jinjava's extension points and, where there is none, on its internals. The Jinjava
 * version is pinned exactly in the build ({@code jinjava.version}); after an upgrade re-check each item below (the
 * conformance suite above exercises all of them) and the shaded JUEL packages ({@code jinjava.de.odysseus.el},
 * {@code jinjava.javax.el}), whose names change if Jinjava's shading does.
 * <ul>
 * <li><b>Setup</b> ({@link io.llmcp.template.TemplateEngine}): {@code Jinjava(JinjavaConfig)},
 * {@code Jinjava#getExpressionFactory()} overridden to install our parser; {@code JinjavaConfig.Builder}
 * options ({@code withTrimBlocks}, {@code withLstripBlocks}, {@code withNestedInterpretationEnabled},
 * {@code withFailOnUnknownTokens}, {@code withMaxOutputSize}, {@code withElResolver},
 * {@code withEnableRecursiveMacroCalls}, {@code withMaxMacroRecursionDepth}, {@code withInterperterFactory},
 * {@code withNodePreProcessor}, {@code getDisabled}) and {@code LegacyOverrides} flags
 * ({@code withUseNaturalOperatorPrecedence}, {@code withParseWhitespaceControlStrictly},
 * {@code withEvaluateMapKeys}, {@code withIterateOverMapKeys}, {@code withKeepNullableLoopValues},
 * {@code withUseTrimmingForNotesAndExpressions}): each flag closes one Jinja2 difference.
 * {@code el.JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY} chained after our resolver in a
 * {@code javax.el.CompositeELResolver}. {@code lib.fn.ELFunctionDefinition} and
 * {@code Context#registerFunction/registerTag/registerFilter/registerExpTest/put} on the global context.</li>
 * <li><b>Interpreter</b>: {@code interpret.InterpreterFactory} and a {@code JinjavaInterpreter} subclass
 * overriding {@code getAsString(Object)} (Python's str() for printed values); {@code JinjavaInterpreter#pushCurrent/
 * popCurrent} (the expression parser reads its precedence option from the current interpreter),
 * {@code parse(String)}, {@code render(Node, boolean)}, {@code getErrorsCopy()} with
 * {@code interpret.TemplateError} (severity FATAL, reason SYNTAX_ERROR, {@code getLineno}),
 * {@code resolveELExpression}, {@code enterScope()} / {@code InterpreterScopeClosable}, {@code getContext()}.
 * A {@code interpret.Context} subclass ({@code Context(Context, Map, Map<Library, Set<String>>)}) overriding
 * {@code addResolvedExpression/addResolvedValue/addResolvedFunction/addDependency/addDependencies} to keep the
 * shared global context read-only across concurrent renders.</li>
 * <li><b>Node tree</b> ({@code tree.*}): {@code Node#getChildren/getMaster/getLineNumber/render},
 * {@code ExpressionNode}, {@code TagNode} ({@code getHelpers}, {@code getTag}, {@code getSymbols},
 * {@code setChildren}, its constructor), {@code tree.parse.ExpressionToken#getExpr},
 * {@code TagToken#getTagName/getHelpers}: the load-time check of every expression, filter and test name, and the
 * for-else split.</li>
 * <li><b>Source scanning</b> ({@link io.llmcp.template.Jinja2Whitespace}): {@code tree.parse.TokenScanner} and
 * its {@code TextToken}, {@code TagToken}, {@code NoteToken}, {@code Token#getImage}; the whitespace rules assume
 * the scanner's tokens cover the source exactly (checked; the transform is skipped otherwise) and that its
 * {@code }}} handling inside string literals stays as it is.</li>
 * <li><b>Tags</b>: {@code lib.tag.ForTag} subclassed ({@code interpretUnchecked}, {@code getLoopVarsAndExpression},
 * {@code renderForCollection}) with {@code lib.tag.ElseTag} and {@code util.ForLoop}
 * ({@code getIndex0}, {@code getLength}) for loop filters, for-else and {@code loop.previtem/nextitem};
 * {@code lib.tag.IfTag#isPositiveIfElseNode} overridden for Python truthiness; {@code lib.tag.Tag} for
 * {@code generation} and the {@code filter} block.</li>
 * <li><b>Filters and tests</b>: {@code lib.filter.Filter} (both {@code filter} overloads, kwargs form included) and
 * {@code lib.exptest.ExpTest}, replacing Jinjava's by name. The {@code truthy} test is replaced because Jinjava's
 * {@code select}/{@code selectattr}/{@code reject}/{@code rejectattr} look it up by that name when no test is
 * given; an upgrade that changes that lookup brings back Jinjava truthiness (the string "false" is falsy).</li>
 * <li><b>Expression language</b> ({@link io.llmcp.template.PythonSyntaxBuilder}, {@link io.llmcp.template.PyOperators},
 * {@link io.llmcp.template.AstSlice}): {@code el.ExtendedSyntaxBuilder#createParser}, {@code el.ext.ExtendedParser}
 * (overrides of {@code filter}, {@code params}, {@code createAstBinary}, {@code createScanner}, {@code eq},
 * {@code value}; {@code putExtensionHandler} with {@code ExtensionPoint}; {@code FILTER_PREFIX},
 * {@code EXPTEST_PREFIX}; {@code getToken}, {@code lookahead}, {@code consumeToken}, {@code createAstDot}),
 * {@code el.ext.ExtendedScanner#nextString}, {@code el.ext.AdditionOperator}, {@code StringConcatOperator.TOKEN},
 * {@code CollectionMembershipOperator}, {@code AstNamedParameter}, {@code NamedParameter}; JUEL's
 * {@code ExpressionFactoryImpl(Properties, TypeConverter)} (our builder is named by class in the properties, so it
 * stays public with a no-arg constructor), {@code tree.TreeBuilder}, {@code Tree#getIdentifierNodes},
 * {@code IdentifierNode}, {@code TreeBuilderException}, {@code impl.Builder.Feature}, {@code impl.Parser},
 * {@code impl.Scanner} ({@code Symbol}, {@code Token}, {@code ScanException}), the AST classes {@code AstNode},
 * {@code AstBinary} ({@code Operator}), {@code AstUnary}, {@code AstBracket}, {@code AstDot},
 * {@code AstIdentifier}, {@code AstParameters}, {@code AstRightValue}, and {@code misc.NumberOperations},
 * {@code misc.TypeConverter}, {@code tree.Bindings}.</li>
 * <li><b>Values</b>: {@code el.TruthyTypeConverter#coerceToBoolean} (Python truthiness in {@code not}/{@code and}/
 * {@code or}/conditional expressions), {@code util.HasObjectTruthValue} (None is falsy),
 * {@code objects.SafeString}, {@code objects.collections.PyList}; a {@code javax.el.ELResolver}
 * ({@link io.llmcp.template.PyMethodResolver}) placed first for Python's string/dict/list methods, string indexing
 * and {@code loop.previtem/nextitem}.</li>
 * </ul>
 */
package io.llmcp.template;
