package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.engine.EngineLauncher;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineRpc;
import io.llmcp.host.Host;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.RpcClient;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A CLI command as a client of the user's engine, over its Unix socket. Ctrl-C sends {@code cancel} for the
 * running call first: work the engine keeps after a disconnect (a pull) must stop when a person asks it to.
 */
public final class EngineConnection implements HostConnection {
    private final SocketChannel channel;
    private final RpcClient client;
    private volatile long running = -1;

    private EngineConnection(SocketChannel channel, RpcClient client) {
        this.channel = channel;
        this.client = client;
    }

    /** Connects, starting the engine when none runs. */
    public static EngineConnection open(EnginePaths paths) throws Exception {
        EngineLauncher launcher = launcher(paths);
        for (int attempt = 1; ; attempt++) {
            SocketChannel ch = launcher.connectOrStart();
            try {
                return new EngineConnection(ch, EngineRpc.open(ch, "cli", "cli"));
            } catch (ExecutionException e) {
                // An engine on its way out can accept and then drop us; the next attempt starts a new one.
                boolean dropped = e.getCause() instanceof RpcException r && r.code() == ErrorCodes.ENGINE_UNAVAILABLE;
                if (!dropped || attempt == 3) throw e;
                Thread.sleep(100);
            }
        }
    }

    /**
     * Finds or starts the engine of {@code paths}; a start reads config.json's {@code engine} section as it is
     * then (a long-lived proxy restarting an engine that exited idle sees the current file).
     */
    static EngineLauncher launcher(EnginePaths paths) {
        return new EngineLauncher(paths, EngineLauncher.DEFAULT_START_TIMEOUT,
                () -> Host.settings(HostConfig.load(paths.dataDir()), "engine"));
    }

    /** Connects only if an engine runs (status, stop). */
    public static java.util.Optional<EngineConnection> ifRunning(EnginePaths paths) throws Exception {
        var ch = EngineLauncher.tryConnect(paths);
        if (ch.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of(new EngineConnection(ch.get(), EngineRpc.open(ch.get(), "cli", "cli")));
    }

    @Override
    public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) throws Exception {
        CompletableFuture<JsonNode> result = client.call(method, params == null ? Json.object() : params, onNotification);
        long id = client.lastId();
        running = id;
        Thread hook = new Thread(() -> {
            try {
                client.call("cancel", Json.object().put("requestId", id)).get(1, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "cli-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } finally {
            running = -1;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
    }

    @Override
    public void cancelRunning() {
        long id = running;
        if (id >= 0) client.call("cancel", Json.object().put("requestId", id));
    }

    @Override
    public void close() {
        try {
            client.close();
            channel.close();
        } catch (IOException ignored) {
            // the engine is gone already
        }
    }
}
