package io.llmcp.inference;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** A failure to load or run a model: a graph the generator does not understand, a prompt too long. */
public final class InferenceException extends DomainException {
    public InferenceException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public InferenceException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public InferenceException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static InferenceException invalidInput(String field, String problem) {
        return new InferenceException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
