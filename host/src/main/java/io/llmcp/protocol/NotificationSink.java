package io.llmcp.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where host→client notifications of one connection go. */
@FunctionalInterface
public interface NotificationSink {
    void notify(String method, ObjectNode params);
}
