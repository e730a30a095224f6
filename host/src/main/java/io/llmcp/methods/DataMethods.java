package io.llmcp.methods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcException;
import io.llmcp.store.DataStore;
import java.util.function.Supplier;

/** The {@code data.*} namespace: the extension's storeData/loadData, small JSON values kept in the store file. */
public final class DataMethods {
    static final int MAX_KEY_LENGTH = 1024;

    private DataMethods() {
    }

    public static void register(MethodRegistry registry, Supplier<DataStore> data) {
        registry.register("data.put", call -> {
            String key = key(call.params());
            if (!call.params().object().has("value")) throw RpcException.invalidParams("value", "is required");
            JsonNode value = call.params().get("value");
            long bytes = data.get().put(key, Json.MAPPER.writeValueAsString(value));
            return Json.object().put("key", key).put("bytes", bytes);
        });
        registry.register("data.get", call -> {
            String key = key(call.params());
            String json = data.get().get(key)
                    .orElseThrow(() -> new RpcException(ErrorCodes.NOT_FOUND, "no data stored under '" + key + "'",
                            Json.object().put("key", key)));
            ObjectNode out = Json.object().put("key", key);
            try {
                out.set("value", Json.MAPPER.readTree(json));
            } catch (JsonProcessingException e) {
                throw new RpcException(ErrorCodes.STORE_CORRUPT, "the data stored under '" + key + "' is unreadable");
            }
            return out;
        });
        registry.register("data.delete", call -> {
            String key = key(call.params());
            return Json.object().put("key", key).put("deleted", data.get().delete(key));
        });
    }

    private static String key(Params p) {
        String key = p.requireString("key");
        if (key.length() > MAX_KEY_LENGTH) throw RpcException.invalidParams("key", "must be at most " + MAX_KEY_LENGTH + " characters");
        return key;
    }
}
