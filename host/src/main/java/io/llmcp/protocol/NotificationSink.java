package io.llmcp.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where host→client notifications of one connection go. */
@FunctionalInterface
public interface NotificationSink {
    void notify(String method, ObjectNode params);

    /**
     * False once the connection behind this sink has ended. Lets long-lived work tell "the client asked to
     * cancel" (sink still open) from "the client went away" (sink closed) when its request's token fires.
     */
    default boolean isOpen() {
        return true;
    }
}
