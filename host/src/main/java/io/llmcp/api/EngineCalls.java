package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Failures;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.NotificationSink;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.RpcHandler;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The HTTP API's only way into the engine: a JSON-RPC method name and its params, dispatched to the engine's
 * in-process method table exactly as a socket client's request would be, with the method's notifications
 * ({@code generate.token}, {@code models.progress}) handed to a sink and a cancel that does what the protocol's
 * {@code cancel {requestId}} does. Everything else in {@code io.llmcp.api} speaks the protocol documented in
 * docs/PROTOCOL.md through this class, so when the host's wiring changes only this class changes.
 */
public final class EngineCalls {
    /** The origin the engine sees for requests that came through the HTTP API. */
    public static final String ORIGIN = "http-api";

    private final MethodRegistry registry;
    private final AtomicLong ids = new AtomicLong();

    public EngineCalls(MethodRegistry registry) {
        this.registry = registry;
    }

    /** A JSON-RPC error as the engine answered it: code, message and optional data (see docs/PROTOCOL.md). */
    public static final class Failure extends Exception {
        private final int code;
        private final transient JsonNode data;

        Failure(int code, String message, JsonNode data) {
            super(message);
            this.code = code;
            this.data = data;
        }

        public int code() {
            return code;
        }

        /** The error's {@code data}, or a missing node. */
        public JsonNode data() {
            return data == null ? Json.MAPPER.missingNode() : data;
        }

        public boolean cancelled() {
            return code == ErrorCodes.CANCELLED;
        }
    }

    /** One request in flight: {@link #cancel()} is the protocol's {@code cancel} for it. */
    public final class Call {
        private final String method;
        private final ObjectNode params;
        private final CancellationToken token = new CancellationToken();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final long id = ids.incrementAndGet();

        Call(String method, ObjectNode params) {
            this.method = method;
            this.params = params == null ? Json.object() : params;
        }

        /** Runs the method on this thread; notifications go to {@code sink(method, params)} meanwhile. */
        public JsonNode run(BiConsumer<String, ObjectNode> sink) throws Failure {
            RpcHandler handler = registry.find(method).orElse(null);
            if (handler == null) throw new Failure(ErrorCodes.METHOD_NOT_FOUND, "method not found: " + method, null);
            NotificationSink notifications = new NotificationSink() {
                @Override
                public void notify(String m, ObjectNode body) {
                    sink.accept(m, body);
                }

                @Override
                public boolean isOpen() {
                    return open.get();
                }
            };
            RpcCall call = new RpcCall(method, Json.MAPPER.valueToTree(id), params, token, notifications, ORIGIN);
            try {
                JsonNode result = handler.handle(call);
                // As RpcSession does: a cancelled request answers "cancelled", its partial result as data.
                if (token.isCancelled()) throw new Failure(ErrorCodes.CANCELLED, "cancelled", result);
                return result;
            } catch (Failure f) {
                throw f;
            } catch (Throwable t) {
                RpcException e = Failures.toRpc(t, token, method);
                throw new Failure(e.code(), e.getMessage(), e.data());
            } finally {
                open.set(false);
            }
        }

        /** Cancels the request (what {@code cancel {requestId}} does on a connection). */
        public void cancel() {
            token.cancel();
        }

        /**
         * Cancels because the HTTP client went away: like a socket client's disconnect, the sink reads as closed,
         * so detachable work (a pull) may go on without it.
         */
        public void clientGone() {
            open.set(false);
            token.cancel();
        }

        public boolean isCancelled() {
            return token.isCancelled();
        }
    }

    public Call start(String method, ObjectNode params) {
        return new Call(method, params);
    }

    /** A short request/response call with no notifications. */
    public JsonNode call(String method, ObjectNode params) throws Failure {
        return start(method, params).run((m, p) -> { });
    }
}
