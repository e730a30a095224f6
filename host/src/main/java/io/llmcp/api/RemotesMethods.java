package io.llmcp.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.Params;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.nio.file.Path;

/**
 * The {@code remotes.*} namespace: a client (the panel's Settings) lists, adds, removes and tests the remote
 * providers that {@code llmcp remote} manages, through the same {@link RemoteSettings}. Only the engine offers
 * them, as it alone serves the remotes' models.
 *
 * <p>A key comes as {@code apiKey} and is kept in config.json (owner-only); {@code remotes.list} and every other
 * answer say only {@code hasKey}. There is deliberately no {@code apiKeyEnv}: the engine's environment is not
 * the caller's, and naming one of its variables would let any client send the engine's secrets to a URL of its
 * choosing. The CLI reads {@code --api-key-env} in its own process and stores the value.
 */
public final class RemotesMethods {
    private final Path dataDir;
    private final Remotes remotes;

    public RemotesMethods(Path dataDir, Remotes remotes) {
        this.dataDir = dataDir;
        this.remotes = remotes;
    }

    public void register(MethodRegistry methods) {
        methods.register("remotes.list", call -> list());
        methods.register("remotes.add", this::add);
        methods.register("remotes.remove", this::remove);
        methods.register("remotes.test", this::test);
    }

    private JsonNode list() {
        ObjectNode out = Json.object();
        ArrayNode arr = out.putArray("remotes");
        RemoteSettings.list(dataDir).values().forEach(r -> arr.add(r.describe()));
        return out;
    }

    private JsonNode add(RpcCall call) throws Exception {
        Params p = call.params();
        if (p.has("apiKeyEnv")) {
            throw RpcException.invalidParams("apiKeyEnv", "is not accepted here: the engine's environment is not the caller's; "
                    + "send the key itself as 'apiKey' (llmcp remote add --api-key-env reads your variable and does that)");
        }
        String name = p.requireString("name");
        RemoteSettings.checkName(name);
        String url = p.requireString("url");
        String apiKey = p.optString("apiKey", null);
        boolean replaced = RemoteSettings.add(dataDir, name, url, apiKey);
        remotes.forget(name);
        return RemoteSettings.require(dataDir, name).describe().put("replaced", replaced);
    }

    private JsonNode remove(RpcCall call) throws Exception {
        String name = call.params().requireString("name");
        if (!RemoteSettings.remove(dataDir, name)) {
            throw new RpcException(ErrorCodes.NOT_FOUND, "no remote named '" + name + "'", Json.object().put("field", "name"));
        }
        remotes.forget(name);
        return Json.object().put("name", name).put("removed", true);
    }

    /** The remote's models asked for now: {@code {name, url, hasKey, models: [NAME/MODEL], millis}}, or its failure. */
    private JsonNode test(RpcCall call) throws Exception {
        RemoteSettings.Remote r = RemoteSettings.require(dataDir, call.params().requireString("name"));
        long start = System.nanoTime();
        JsonNode models = remotes.probe(r);
        ObjectNode out = r.describe();
        ArrayNode ids = out.putArray("models");
        for (JsonNode m : models) {
            if (m.path("id").isTextual() && !m.path("id").asText().isEmpty()) ids.add(r.name() + "/" + m.path("id").asText());
        }
        out.put("millis", (System.nanoTime() - start) / 1_000_000);
        return out;
    }
}
