package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.ProgressEvent;
import io.llmcp.protocol.Json;

/** The body of a {@code models.progress} notification (docs/PROTOCOL.md); {@code RpcCall.notify} adds requestId. */
public final class ProgressNotifications {
    public static final String METHOD = "models.progress";

    private ProgressNotifications() {
    }

    public static ObjectNode body(String modelId, ProgressEvent e) {
        ObjectNode n = Json.object()
                .put("modelId", modelId)
                .put("path", e.path())
                .put("state", e.state().wireName())
                .put("bytesDone", e.bytesDone())
                .put("bytesTotal", e.bytesTotal())
                .put("bytesPerSecond", e.bytesPerSecond())
                .put("etaSeconds", e.etaSeconds());
        if (e.error() != null) n.putObject("error").put("code", Failures.domain(e.error()).code()).put("message", e.error().getMessage());
        return n;
    }
}
