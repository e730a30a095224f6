package io.llmcp.sites;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.util.Map;

/** Something that is not an http(s) web origin was given where a site was expected: invalid input {@code origin}. */
public final class InvalidOriginException extends DomainException {
    public InvalidOriginException(String problem) {
        super(Failure.INVALID_INPUT, invalidInputMessage("origin", problem), Map.of("field", "origin"), null);
    }
}
