package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything a handler sees of one request: its params, a way to stream notifications back to the
 * client that asked (tagged with this request's id), its cancellation token and the caller's origin.
 */
public final class RpcCall {
    private final String method;
    private final JsonNode id;
    private final Params params;
    private final CancellationToken token;
    private final NotificationSink sink;
    private final String origin;

    public RpcCall(String method, JsonNode id, JsonNode params, CancellationToken token, NotificationSink sink, String origin) {
        this.method = method;
        this.id = id;
        this.params = new Params(params);
        this.token = token;
        this.sink = sink;
        this.origin = origin;
    }

    /** A call made from inside the process (CLI, tests): no id on the wire, notifications to {@code sink}. */
    public static RpcCall local(String method, JsonNode params, CancellationToken token, NotificationSink sink) {
        return new RpcCall(method, null, params, token, sink, "local");
    }

    public String method() {
        return method;
    }

    /** The request id, or null for a notification-style or in-process call. */
    public JsonNode id() {
        return id;
    }

    public Params params() {
        return params;
    }

    public CancellationToken token() {
        return token;
    }

    public String origin() {
        return origin;
    }

    /** Sends {@code method} to this call's client with {@code requestId} set to this call's id. */
    public void notify(String notificationMethod, ObjectNode body) {
        if (id != null) body.set("requestId", id);
        sink.notify(notificationMethod, body);
    }

    public NotificationSink sink() {
        return sink;
    }
}
