package io.llmcp.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.Jobs;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine's own methods: {@code session.hello}, {@code engine.status}, {@code engine.stop}. */
final class EngineMethods {
    private static final Logger log = LoggerFactory.getLogger(EngineMethods.class);
    private static final Set<String> KINDS = Set.of("browser", "cli");

    private EngineMethods() {
    }

    static void register(MethodRegistry registry, EngineServer engine) {
        registry.register("session.hello", call -> hello(engine, call));
        registry.register("engine.status", call -> status(engine));
        registry.register("engine.stop", call -> {
            log.info("engine.stop requested by client {}", describeCaller(engine, call));
            // Answer first, then stop: the caller should see {stopping: true}, not a dropped connection.
            Thread t = new Thread(() -> {
                sleep(100);
                engine.stop();
            }, "engine-stop");
            t.setDaemon(true);
            t.start();
            return Json.object().put("stopping", true).put("pid", ProcessHandle.current().pid());
        });
    }

    /** Who the client is: the proxy sends the browser's origin, the CLI sends {@code kind: cli}. */
    private static JsonNode hello(EngineServer engine, RpcCall call) {
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
            if (kind.equals("browser") && !origin.equals("local") && !engine.context().config().allowedOrigins().contains(origin)) {
                throw new RpcException(ErrorCodes.ORIGIN_REFUSED, "origin " + origin + " is not allowed"
                        + " (add it with 'llmcp install --extension-id')", Json.object().put("origin", origin));
            }
            client.hello(origin, kind);
        } catch (RpcException e) {
            client.helloFailed(e.code() == ErrorCodes.ORIGIN_REFUSED);
            throw e;
        } catch (RuntimeException e) {
            client.helloFailed(false);
            throw e;
        }
        return Json.object().put("clientId", client.id()).put("pid", ProcessHandle.current().pid())
                .put("version", io.llmcp.app.Version.PRODUCT).put("protocolVersion", io.llmcp.app.Version.PROTOCOL);
    }

    static ObjectNode status(EngineServer engine) {
        ObjectNode out = Json.object();
        out.put("pid", ProcessHandle.current().pid());
        out.put("startedAt", engine.startedAt().toString());
        out.put("uptimeSeconds", Duration.between(engine.startedAt(), Instant.now()).toSeconds());
        out.put("dataDir", engine.paths().dataDir().toString());
        out.put("socket", engine.paths().socket().toString());
        ArrayNode clients = out.putArray("clients");
        engine.clients().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).forEach(c -> clients.add(c.describe()));
        out.set("activeWork", Jobs.of(engine.context()).describeRunning());
        out.set("loadedModels", loadedModels(engine));
        out.put("idleExitSeconds", engine.idleExitSeconds());
        return out;
    }

    /**
     * The models inference holds in memory, taken from {@code sessions.list} when the inference package has
     * registered it (the hook: no separate API to keep in step); empty until then.
     */
    private static ArrayNode loadedModels(EngineServer engine) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        var handler = engine.registry().find("sessions.list").orElse(null);
        if (handler == null) return out;
        try {
            JsonNode r = handler.handle(RpcCall.local("sessions.list", Json.object(), CancellationToken.none(), (m, p) -> { }));
            for (JsonNode s : r.path("sessions")) out.add(s);
        } catch (Exception e) {
            log.warn("sessions.list failed inside engine.status: {}", e.toString());
        }
        return out;
    }

    private static String describeCaller(EngineServer engine, RpcCall call) {
        EngineClient c = engine.client(call.sink());
        return c == null ? "?" : c.id() + " (" + c.kind() + ", " + c.origin() + ")";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
