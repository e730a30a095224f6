package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/** How a CLI command reaches the host's methods: in this process, or (later) through the engine. */
public interface HostConnection extends AutoCloseable {
    JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) throws Exception;

    default JsonNode call(String method, ObjectNode params) throws Exception {
        return call(method, params, n -> { });
    }

    /** Cancels the call running now, if any (the interactive chat's Ctrl-C); the call then fails with CANCELLED. */
    default void cancelRunning() {
    }

    @Override
    void close();
}
