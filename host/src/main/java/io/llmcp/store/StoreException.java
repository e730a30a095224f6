package io.llmcp.store;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** A failure of the model store: closed, corrupt, locked by another process, out of disk. */
public final class StoreException extends DomainException {
    public StoreException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public StoreException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public StoreException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static StoreException invalidInput(String field, String problem) {
        return new StoreException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
