package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One link of the chain every handler runs inside (cancellation, failure mapping, logging…): it may look at
 * the call, run {@code next}, and shape what comes back or what was thrown. Small links composed in one place
 * keep those concerns out of both the handlers and the session that dispatches them.
 */
@FunctionalInterface
public interface RpcInterceptor {
    JsonNode intercept(RpcCall call, RpcHandler next) throws Exception;

    /** {@code handler} wrapped by {@code chain}, the first link outermost. */
    static RpcHandler wrap(RpcHandler handler, java.util.List<RpcInterceptor> chain) {
        RpcHandler h = handler;
        for (int i = chain.size() - 1; i >= 0; i--) {
            RpcInterceptor link = chain.get(i);
            RpcHandler next = h;
            h = call -> link.intercept(call, next);
        }
        return h;
    }
}
