package io.llmcp.models;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** A failure of the model registry or a pull: an unknown model, invalid files, no room. */
public final class ModelException extends DomainException {
    public ModelException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public ModelException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public ModelException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static ModelException invalidInput(String field, String problem) {
        return new ModelException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
