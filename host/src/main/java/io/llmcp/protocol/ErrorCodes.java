package io.llmcp.protocol;

/**
 * Every error code the host answers with. The JSON-RPC 2.0 range first, then the host's own codes in
 * the implementation-defined server-error range (-32000..-32099). docs/PROTOCOL.md lists them all.
 */
public final class ErrorCodes {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;

    /** The request was cancelled through {@code cancel} or because its connection closed. */
    public static final int CANCELLED = -32800;

    public static final int FRAME_TOO_LARGE = -32001;
    public static final int ORIGIN_REFUSED = -32002;
    public static final int NOT_FOUND = -32004;
    public static final int STORE_UNAVAILABLE = -32010;
    public static final int STORE_CORRUPT = -32011;
    public static final int QUOTA_EXCEEDED = -32012;
    public static final int DISK_FULL = -32013;
    public static final int DOWNLOAD_FAILED = -32020;
    public static final int HTTP_UNAUTHORIZED = -32021;
    public static final int HTTP_NOT_FOUND = -32022;
    public static final int VERIFY_FAILED = -32023;
    public static final int URL_REFUSED = -32024;
    public static final int MODEL_INVALID = -32030;
    public static final int INFERENCE_FAILED = -32031;
    public static final int TEMPLATE_ERROR = -32032;
    public static final int ENGINE_UNAVAILABLE = -32040;
    public static final int BUSY = -32050;

    private ErrorCodes() {
    }
}
