package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A failure that becomes a JSON-RPC error object: a code, a message a user can act on, optional data. */
public class RpcException extends RuntimeException {
    private final int code;
    private final transient JsonNode data;

    public RpcException(int code, String message) {
        this(code, message, null, null);
    }

    public RpcException(int code, String message, JsonNode data) {
        this(code, message, data, null);
    }

    public RpcException(int code, String message, JsonNode data, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.data = data;
    }

    public int code() {
        return code;
    }

    public JsonNode data() {
        return data;
    }

    /** -32602 naming the offending field, so the caller can fix exactly that. */
    public static RpcException invalidParams(String field, String problem) {
        return new RpcException(ErrorCodes.INVALID_PARAMS, "invalid params: '" + field + "' " + problem,
                Json.object().put("field", field));
    }

    public static RpcException notFound(String what) {
        return new RpcException(ErrorCodes.NOT_FOUND, what);
    }

    public static RpcException cancelled() {
        return new RpcException(ErrorCodes.CANCELLED, "cancelled");
    }
}
