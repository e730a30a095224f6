package io.llmcp.engine;

import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import io.llmcp.tooling.TestJobMethod;
import java.util.List;
import io.llmcp.protocol.RpcClient;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An engine in the test's own JVM on a temp data dir (config: test methods on), stopped by {@link #close}. */
public final class TestEngine implements AutoCloseable {
    final EnginePaths paths;
    final EngineServer server;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private TestEngine(EnginePaths paths, EngineServer server) {
        this.paths = paths;
        this.server = server;
    }

    public static EnginePaths paths(Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("config.json"), "{\"engine\":{\"testMethods\":true}}");
        return new EnginePaths(dataDir, dataDir.resolve("run"));
    }

    /** Starts an engine and waits until its socket answers. */
    public static TestEngine start(EnginePaths paths, long idleExitSeconds) throws Exception {
        TestEngine e = new TestEngine(paths, new EngineServer(paths, idleExitSeconds));
        // test.job comes the way the entry point adds it: as the tooling's module, on when config says testMethods
        Host host = new Host(paths.dataDir(), HostConfig.load(paths.dataDir()), List.of(TestJobMethod::register));
        Thread t = new Thread(() -> {
            try {
                e.exit.complete(e.server.run(host.forEngine()));
            } catch (Throwable ex) {
                e.exit.completeExceptionally(ex);
            }
        }, "test-engine");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var ch = EngineLauncher.tryConnect(paths);
            if (ch.isPresent()) {
                ch.get().close();
                return e;
            }
            if (e.exit.isDone()) return e;
            if (System.nanoTime() > deadline) throw new AssertionError("test engine did not start");
            Thread.sleep(10);
        }
    }

    public static RpcClient client(EnginePaths paths, String origin, String kind) throws Exception {
        SocketChannel ch = EngineLauncher.tryConnect(paths).orElseThrow();
        return EngineRpc.open(ch, origin, kind);
    }

    @Override
    public void close() throws Exception {
        server.stop();
        exit.get(20, TimeUnit.SECONDS);
    }
}
