package io.llmcp.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;

/**
 * {@code host.echo}: returns its {@code value}, optionally after {@code delayMs}. It is how the extension
 * measures host latency, and how tests and benchmarks exercise concurrency and cancel without side effects.
 */
public final class DiagnosticMethods {
    static final long MAX_DELAY_MS = 60_000;

    private DiagnosticMethods() {
    }

    public static void register(MethodRegistry registry) {
        registry.register("host.echo", DiagnosticMethods::echo);
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
