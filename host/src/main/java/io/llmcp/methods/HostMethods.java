package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.Version;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The {@code host.*} namespace. {@code host.info}: what is running, where, and what it can do — it must
 * answer even when the store is locked by another process, so it never opens the store; it describes
 * ONNX Runtime through a supplier the root wires to "inference if it already started".
 * {@code host.echo}: returns its {@code value}, optionally after {@code delayMs}; the extension measures host
 * latency with it, and tests and benchmarks exercise concurrency and cancel without side effects.
 * ({@code cancel} is answered by the protocol session itself: it must never wait for a worker.)
 */
public final class HostMethods {
    static final long MAX_DELAY_MS = 60_000;

    private final Path dataDir;
    private final Supplier<ObjectNode> onnxRuntime;

    public HostMethods(Path dataDir, Supplier<ObjectNode> onnxRuntime) {
        this.dataDir = dataDir;
        this.onnxRuntime = onnxRuntime;
    }

    public void register(MethodRegistry methods) {
        methods.register("host.info", call -> info(methods));
        methods.register("host.echo", HostMethods::echo);
    }

    ObjectNode info(MethodRegistry methods) {
        ObjectNode out = Json.object();
        out.put("name", "llmcp");
        out.put("version", Version.PRODUCT);
        out.put("protocolVersion", Version.PROTOCOL);
        out.putObject("java")
                .put("version", System.getProperty("java.version"))
                .put("vendor", System.getProperty("java.vendor"));
        out.set("onnxruntime", onnxRuntime.get());
        out.put("dataDir", dataDir.toString());
        out.put("pid", ProcessHandle.current().pid());
        out.set("methods", Json.MAPPER.valueToTree(methods.methods()));
        return out;
    }

    static ObjectNode echo(RpcCall call) throws InterruptedException {
        long delay = call.params().optLong("delayMs", 0, 0, MAX_DELAY_MS);
        long deadline = System.nanoTime() + delay * 1_000_000L;
        // Sleep in small steps so a cancel is honoured within ~10 ms.
        while (System.nanoTime() < deadline) {
            call.token().throwIfCancelled();
            Thread.sleep(Math.min(10, Math.max(1, (deadline - System.nanoTime()) / 1_000_000L)));
        }
        call.token().throwIfCancelled();
        ObjectNode out = Json.object();
        out.set("value", call.params().get("value"));
        return out;
    }
}
