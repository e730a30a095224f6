package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** One JSON-RPC method. Returns the {@code result}; throws {@link RpcException} for a coded error. */
@FunctionalInterface
public interface RpcHandler {
    JsonNode handle(RpcCall call) throws Exception;
}
