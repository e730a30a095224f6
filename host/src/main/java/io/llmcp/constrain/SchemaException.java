package io.llmcp.constrain;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/**
 * A schema the compiler cannot honour (an unsupported keyword, a broken {@code $ref}, a malformed value): invalid
 * input naming the request parameter the schema came from ({@link #field()}), which the edge answers as such.
 */
public final class SchemaException extends DomainException {
    private final String field;

    public SchemaException(String field, String problem) {
        super(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field), null);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
