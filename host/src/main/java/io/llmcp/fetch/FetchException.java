package io.llmcp.fetch;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** A failure to fetch: a refused URL, a server that says no, bytes that do not verify. */
public final class FetchException extends DomainException {
    public FetchException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public FetchException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public FetchException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static FetchException invalidInput(String field, String problem) {
        return new FetchException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
