package io.llmcp.constrain;

/**
 * A schema the compiler cannot honour (an unsupported keyword, a broken {@code $ref}, a malformed value).
 * {@link #field()} names the request parameter the schema came from, so the method layer can answer
 * "invalid params" pointing at it; the grammar itself knows nothing of JSON-RPC.
 */
public final class SchemaException extends IllegalArgumentException {
    private final String field;

    public SchemaException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
