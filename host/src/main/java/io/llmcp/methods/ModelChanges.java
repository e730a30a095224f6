package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.models.ModelChange;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.NotificationSink;

/**
 * The {@code models.changed} notification (docs/PROTOCOL.md, "Live state"): sent to every client when any client's
 * pull, delete, pin or the quota changes a model, so a panel stops calling a model "Downloaded" the moment a terminal
 * deletes it. Unlike a request's notifications it carries no {@code requestId}: it belongs to no request.
 */
public final class ModelChanges {
    public static final String METHOD = "models.changed";

    private ModelChanges() {
    }

    public static ObjectNode params(String modelId, ModelChange change) {
        return Json.object().put("modelId", modelId).put("change", change.wireName()).put("at", System.currentTimeMillis());
    }

    /** A registry listener that tells {@code clients} (every connected client) of each change. */
    public static ModelChange.Listener to(NotificationSink clients) {
        return (modelId, change) -> clients.notify(METHOD, params(modelId, change));
    }
}
