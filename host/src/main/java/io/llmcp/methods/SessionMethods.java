package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.Version;
import io.llmcp.engine.EngineClient;
import io.llmcp.engine.EngineServer;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.util.Set;
import java.util.function.Supplier;

/** The {@code session.*} namespace: {@code session.hello}, the first frame of every engine connection. */
public final class SessionMethods {
    private static final Set<String> KINDS = Set.of("browser", "cli");

    private SessionMethods() {
    }

    public static void register(MethodRegistry registry, EngineServer engine, Supplier<Set<String>> allowedOrigins) {
        registry.register("session.hello", call -> hello(engine, allowedOrigins.get(), call));
    }

    /** Who the client is: the proxy sends the browser's origin, the CLI sends {@code kind: cli}. */
    private static JsonNode hello(EngineServer engine, Set<String> allowedOrigins, RpcCall call) {
        EngineClient client = engine.client(call.sink());
        if (client == null) throw new RpcException(ErrorCodes.INVALID_REQUEST, "session.hello outside an engine connection");
        try {
            String origin = call.params().requireString("origin");
            String kind = call.params().optString("kind", "browser");
            if (!KINDS.contains(kind)) throw RpcException.invalidParams("kind", "must be one of " + KINDS);
            // A cli connection is the local user's command line: its origin is "cli", whatever it claims, so it
            // can never pass for a browser extension (nor a browser connection for the cli: kind is fixed by hello).
            if (kind.equals("cli")) origin = "cli";
            // "local": a native host started by hand (tests, benchmarks), as the in-process host treats no origin.
            if (kind.equals("browser") && !origin.equals("local") && !allowedOrigins.contains(origin)) {
                throw new RpcException(ErrorCodes.ORIGIN_REFUSED, "origin " + origin + " is not allowed"
                        + " (add it with 'llmcp install --extension-id')", Json.object().put("origin", origin));
            }
            client.hello(origin, kind);
        } catch (RpcException e) {
            // A refused hello locks the connection for good; a malformed one may be sent again.
            client.helloFailed(e.code() == ErrorCodes.ORIGIN_REFUSED);
            throw e;
        } catch (RuntimeException e) {
            client.helloFailed(false);
            throw e;
        }
        return Json.object().put("clientId", client.id()).put("pid", ProcessHandle.current().pid())
                .put("version", Version.PRODUCT).put("protocolVersion", Version.PROTOCOL);
    }

}
