package io.llmcp.failure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the domain explains: what kind ({@link Failure}), a message a user can act on, and details a program
 * can act on (the offending field, a size, a pid). Each domain package throws its own subclass, so a stack trace
 * says where it came from; the edge maps the kind to a code and the details to the error's {@code data}.
 */
public class DomainException extends RuntimeException {
    private final Failure failure;
    private final transient Map<String, Object> details;

    protected DomainException(Failure failure, String message, Map<String, ?> details, Throwable cause) {
        super(message, cause);
        this.failure = failure;
        this.details = details == null || details.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public Failure failure() {
        return failure;
    }

    /** Values a program can use (strings, numbers, booleans, lists and maps of them); empty when there are none. */
    public Map<String, Object> details() {
        return details;
    }

    /** The message of an invalid input naming its field, worded the same for every package. */
    protected static String invalidInputMessage(String field, String problem) {
        return "invalid params: '" + field + "' " + problem;
    }
}
