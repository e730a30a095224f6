package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.engine.EngineClient;
import io.llmcp.engine.EngineServer;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code engine.*} namespace: the engine's own state ({@code status}) and its end ({@code stop}). */
public final class EngineMethods {
    private static final Logger log = LoggerFactory.getLogger(EngineMethods.class);

    private EngineMethods() {
    }

    public static void register(MethodRegistry registry, EngineServer engine, Supplier<Jobs> jobs) {
        registry.register("engine.status", call -> status(engine, registry, jobs.get(), engine.client(call.sink())));
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

    /** {@code caller} (may be null) is marked {@code you: true}: a client can tell itself from connections still saying hello. */
    static ObjectNode status(EngineServer engine, MethodRegistry registry, Jobs jobs, EngineClient caller) {
        ObjectNode out = Json.object();
        out.put("pid", ProcessHandle.current().pid());
        out.put("startedAt", engine.startedAt().toString());
        out.put("uptimeSeconds", Duration.between(engine.startedAt(), Instant.now()).toSeconds());
        out.put("dataDir", engine.paths().dataDir().toString());
        out.put("socket", engine.paths().socket().toString());
        ArrayNode clients = out.putArray("clients");
        engine.clients().stream().sorted((a, b) -> Integer.compare(a.id(), b.id()))
                .forEach(c -> clients.add(Json.object().put("id", c.id()).put("origin", c.origin()).put("kind", c.kind())
                        .put("connectedAt", c.connectedAt().toString()).put("inFlight", c.inFlight()).put("you", c == caller)));
        out.set("activeWork", jobs.describeRunning());
        out.set("loadedModels", loadedModels(registry));
        out.put("idleExitSeconds", engine.idleExitSeconds());
        return out;
    }

    /**
     * The models inference holds in memory, taken from {@code sessions.list} when the inference package has
     * registered it (the hook: no separate API to keep in step); empty until then.
     */
    private static ArrayNode loadedModels(MethodRegistry registry) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        var handler = registry.find("sessions.list").orElse(null);
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
