package io.llmcp.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.inference.Generator;
import io.llmcp.inference.TokenConstraint;

/** The {@code responseConstraint} parameter of {@code generate}: a JSON Schema (docs/PROTOCOL.md). */
public final class ResponseConstraint {
    public static final String FIELD = "responseConstraint";

    private ResponseConstraint() {
    }

    /** The compiled grammar, or null when the parameter is absent; a schema it cannot honour is a {@link SchemaException}. */
    public static Grammar.Node parse(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (!value.isObject() && !value.isBoolean()) throw new SchemaException(FIELD, "must be a JSON Schema object");
        if (value.has("regex")) throw new SchemaException(FIELD, "regular expressions are not supported yet");
        return JsonSchemaCompiler.compile(value, FIELD);
    }

    /** A fresh constraint for one generation, or null without a grammar. */
    public static TokenConstraint forGenerator(Grammar.Node grammar, Generator generator) {
        return grammar == null ? null : new GrammarConstraint(grammar, generator.tokenizer(), generator.spec().eosIds());
    }
}
