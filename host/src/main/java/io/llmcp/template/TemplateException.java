package io.llmcp.template;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** A chat template that does not parse or render, or a model without one. */
public final class TemplateException extends DomainException {
    public TemplateException(Failure failure, String message) {
        super(failure, message, null, null);
    }

    public TemplateException(Failure failure, String message, Map<String, ?> details) {
        super(failure, message, details, null);
    }

    public TemplateException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(failure, message, details, cause);
    }

    /** The caller's {@code field} is wrong; the message and details name it. */
    public static TemplateException invalidInput(String field, String problem) {
        return new TemplateException(Failure.INVALID_INPUT, invalidInputMessage(field, problem), Map.of("field", field));
    }
}
