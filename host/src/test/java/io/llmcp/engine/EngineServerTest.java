package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import io.llmcp.protocol.RpcException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineServerTest {
    @TempDir
    Path tmp;

    @Test
    void clientsShareOneEngineAndNotificationsGoOnlyToTheClientThatAsked() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600);
             RpcClient browser = TestEngine.client(paths, "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/", "browser");
             RpcClient cli = TestEngine.client(paths, "cli", "cli")) {
            List<ObjectNode> browserNotes = new CopyOnWriteArrayList<>();
            List<ObjectNode> cliStray = new CopyOnWriteArrayList<>();
            cli.onUnroutedNotification(cliStray::add);
            browser.onUnroutedNotification(browserNotes::add);
            JsonNode r = browser.call("test.job", Json.object().put("key", "a").put("steps", 3).put("stepMillis", 10),
                    browserNotes::add).get(10, TimeUnit.SECONDS);
            assertThat(r.path("steps").asInt()).isEqualTo(3);
            assertThat(browserNotes).hasSize(3);
            assertThat(cliStray).isEmpty();
            assertThat(cli.call("host.info", null).get(10, TimeUnit.SECONDS).path("pid").asLong())
                    .isEqualTo(ProcessHandle.current().pid());
            JsonNode status = cli.call("engine.status", null).get(10, TimeUnit.SECONDS);
            assertThat(status.path("clients")).hasSize(2);
            assertThat(status.path("clients")).extracting(c -> c.path("kind").asText()).containsExactlyInAnyOrder("browser", "cli");
            assertThat(status.path("loadedModels").isArray()).isTrue();
            assertThat(status.path("idleExitSeconds").asLong()).isEqualTo(600);
        }
    }

    @Test
    void helloRefusesUnknownOriginsAndKinds() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600)) {
            assertThatThrownBy(() -> TestEngine.client(paths, "chrome-extension://evil/", "browser"))
                    .isInstanceOfSatisfying(ExecutionException.class,
                            e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.ORIGIN_REFUSED));
            assertThatThrownBy(() -> TestEngine.client(paths, "x", "robot"))
                    .isInstanceOfSatisfying(ExecutionException.class,
                            e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
        }
    }

    @Test
    void socketIsPrivateAndASecondEngineLosesTheLock() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.runDir()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.socket()))).isEqualTo("rw-------");
            EngineServer second = new EngineServer(paths, 600);
            Host host = new Host(paths.dataDir(), HostConfig.load(paths.dataDir()), java.util.List.of());
            assertThat(second.run(host.forEngine())).isEqualTo(EngineServer.EXIT_ALREADY_RUNNING);
            assertThat(Files.readAllLines(paths.startLog())).hasSize(1);
            try (RpcClient c = TestEngine.client(paths, "cli", "cli")) {
                assertThat(c.call("host.info", null).get(10, TimeUnit.SECONDS).has("version")).isTrue();
            }
        }
    }

    @Test
    void staleSocketFromACrashedEngineIsReplaced() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        paths.ensureRunDir();
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(paths.socket()));
        }
        assertThat(paths.socket()).exists(); // a socket file nobody listens on, as kill -9 leaves it
        assertThat(EngineLauncher.tryConnect(paths)).isEmpty();
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = TestEngine.client(paths, "cli", "cli")) {
            assertThat(c.call("engine.status", null).get(10, TimeUnit.SECONDS).path("pid").asLong()).isPositive();
        }
    }

    @Test
    void idleEngineExitsClosesTheStoreAndCleansUp() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        TestEngine engine = TestEngine.start(paths, 1);
        try (RpcClient c = TestEngine.client(paths, "cli", "cli")) {
            // a running job keeps the engine alive after its client leaves
            c.call("test.job", Json.object().put("key", "k").put("steps", 15).put("stepMillis", 100));
            Thread.sleep(200);
        }
        Thread.sleep(1200);
        assertThat(engine.exit).isNotDone();
        assertThat(engine.exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(paths.socket()).doesNotExist();
        assertThat(paths.pidFile()).doesNotExist();
        assertThat(EngineLauncher.engineLockHeld(paths)).isFalse();
    }

    /** engine.status reads the same job registry the running work was started in (the root hands both the one). */
    @Test
    void engineStatusListsTheRunningJob() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = TestEngine.client(paths, "cli", "cli")) {
            List<JsonNode> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.call("test.job", Json.object().put("key", "s").put("steps", 1000).put("stepMillis", 100), progress::add);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (progress.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            JsonNode status = c.call("engine.status", null).get(10, TimeUnit.SECONDS);
            assertThat(status.path("activeWork")).extracting(j -> j.path("key").asText()).containsExactly("test:s");
        }
    }

    @Test
    void engineStopAnswersThenStops() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        TestEngine engine = TestEngine.start(paths, 600);
        try (RpcClient c = TestEngine.client(paths, "cli", "cli")) {
            CompletableFuture<JsonNode> job = c.call("test.job", Json.object().put("key", "k").put("steps", 1000).put("stepMillis", 100));
            assertThat(c.call("engine.stop", null).get(10, TimeUnit.SECONDS).path("stopping").asBoolean()).isTrue();
            assertThat(engine.exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThatThrownBy(() -> job.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcException.class);
        }
    }

    /**
     * A listener the root starts beside the socket (the HTTP API) serves clients the engine cannot count, so the
     * engine does not exit idle while it is open; at shutdown it closes before the services it calls into.
     */
    @Test
    void anEngineWithAListenerStaysUpAndClosesItBeforeItsServices() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        EngineServer.Services root = new Host(paths.dataDir(), HostConfig.load(paths.dataDir()), List.of()).forEngine();
        List<String> events = new CopyOnWriteArrayList<>();
        EngineServer.Services withListener = new EngineServer.Services() {
            @Override
            public io.llmcp.protocol.MethodRegistry methodsFor(EngineServer engine) {
                return root.methodsFor(engine);
            }

            @Override
            public int activeJobs() {
                return root.activeJobs();
            }

            @Override
            public EngineServer.Listener listen(io.llmcp.protocol.MethodRegistry methods) {
                events.add("listening with " + methods.find("engine.status").isPresent());
                return () -> events.add("listener closed");
            }

            @Override
            public void close() {
                events.add("services closed");
                root.close();
            }
        };
        EngineServer server = new EngineServer(paths, 1);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                exit.complete(server.run(withListener));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "test-engine-listener");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(events).containsExactly("listening with true");
        Thread.sleep(2500); // idle exit after 1 s, were it not for the listener
        assertThat(exit).isNotDone();
        server.stop();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(events).containsExactly("listening with true", "listener closed", "services closed");
    }
}
