package io.llmcp.sites;

/** Something that is not an http(s) web origin was given where a site was expected. */
public final class InvalidOriginException extends IllegalArgumentException {
    public InvalidOriginException(String message) {
        super(message);
    }
}
