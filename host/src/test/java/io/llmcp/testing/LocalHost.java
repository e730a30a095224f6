package io.llmcp.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.host.Host;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The host's whole method table in this JVM over a temp data dir: protocol-level tests without a process. */
public final class LocalHost implements AutoCloseable {
    public final Host host;
    public final MethodRegistry registry;
    public final List<ObjectNode> notifications = new CopyOnWriteArrayList<>();

    public LocalHost(Path dataDir) {
        this.host = Host.open(dataDir);
        this.registry = host.methods();
    }

    public JsonNode call(String method, ObjectNode params) throws Exception {
        return call(method, params, new CancellationToken());
    }

    public JsonNode call(String method, ObjectNode params, CancellationToken token) throws Exception {
        RpcCall call = new RpcCall(method, Json.MAPPER.valueToTree(1), params == null ? Json.object() : params, token,
                (m, body) -> notifications.add(body.put("method", m)), "test");
        return registry.find(method).orElseThrow().handle(call);
    }

    @Override
    public void close() {
        host.close();
    }
}
