package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.DataDir;
import io.llmcp.host.Host;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.ErrorCodes;
import java.util.function.Consumer;

/**
 * Runs methods inside the CLI process, through the same registry the protocol dispatches to, so
 * {@code --json} prints exactly what the protocol method returns. Ctrl-C cancels the running call.
 */
public final class InProcessConnection implements HostConnection {
    private final Host host;
    private final MethodRegistry registry;
    private volatile CancellationToken running;

    public InProcessConnection() {
        this(Host.open(DataDir.resolve()));
    }

    public InProcessConnection(Host host) {
        this.host = host;
        this.registry = host.methods();
    }

    @Override
    public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) throws Exception {
        var handler = registry.find(method)
                .orElseThrow(() -> new RpcException(ErrorCodes.METHOD_NOT_FOUND, "method not found: " + method));
        CancellationToken token = new CancellationToken();
        running = token;
        Thread hook = new Thread(token::cancel, "cli-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            RpcCall call = RpcCall.local(method, params == null ? Json.object() : params, token, (m, body) -> {
                ObjectNode msg = Json.object().put("method", m);
                msg.set("params", body);
                onNotification.accept(msg);
            });
            return handler.handle(call);
        } finally {
            running = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    @Override
    public void cancelRunning() {
        CancellationToken token = running;
        if (token != null) token.cancel();
    }

    @Override
    public void close() {
        host.close();
    }
}
