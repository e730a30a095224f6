package io.llmcp.failure;

/**
 * What went wrong, in the domain's words. The domain packages fail with these and never with wire codes: which
 * JSON-RPC code (or HTTP status) a failure becomes is decided at the edge, in one table
 * ({@code io.llmcp.methods.Failures}), so a new front end (the HTTP API, the CLI) maps the same failures its way.
 */
public enum Failure {
    /** The caller's input is wrong: a parameter, a file name, a setting. {@link DomainException#details} names the field. */
    INVALID_INPUT,
    /** The caller's request is not a well-formed request at all. */
    INVALID_REQUEST,
    /** The thing asked for does not exist (a model, a blob, a key, a job). */
    NOT_FOUND,
    /** The caller is not allowed here (an origin, a site). */
    NOT_ALLOWED,
    STORE_UNAVAILABLE,
    STORE_CORRUPT,
    QUOTA_EXCEEDED,
    DISK_FULL,
    DOWNLOAD_FAILED,
    /** The server wants credentials, or refused the ones given. */
    UNAUTHORIZED,
    /** The server has no such repository or file. */
    REMOTE_NOT_FOUND,
    /** Bytes did not hash to what was announced. */
    VERIFY_FAILED,
    /** A URL the host will not fetch (scheme, host, redirect). */
    URL_REFUSED,
    /** The model's files cannot be used (missing, unreadable, a graph the generator does not understand). */
    MODEL_INVALID,
    INFERENCE_FAILED,
    TEMPLATE_ERROR,
    ENGINE_UNAVAILABLE,
    /** Something the request needs is in use; retry later. */
    BUSY,
    CANCELLED,
    /** A bug: a state the code thought impossible. */
    INTERNAL
}
