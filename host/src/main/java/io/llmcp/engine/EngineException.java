package io.llmcp.engine;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** The engine cannot be started or reached. */
public final class EngineException extends DomainException {
    public EngineException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public EngineException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public EngineException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static EngineException invalidInput(String field, String problem) {
        return new EngineException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
