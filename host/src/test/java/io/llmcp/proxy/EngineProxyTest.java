package io.llmcp.proxy;

import io.llmcp.engine.TestEngine;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineLauncher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import io.llmcp.protocol.RpcException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The proxy in this JVM between pipes (the browser side) and in-JVM engines it starts through a test starter. */
class EngineProxyTest {
    @TempDir
    Path tmp;

    private final List<TestEngine> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEngines() throws Exception {
        for (TestEngine e : engines) e.close();
    }

    /** How the proxy under test is wired: its spin budget, and what its browser side can see. */
    enum Wiring {
        /** No spinning: blocking socket, one thread per direction. */
        BLOCKING(ProxySpin.OFF, false),
        /** Spins for answers; its stdin (an in-JVM pipe) cannot report bytes waiting, so it never polls it. */
        SPINNING(ProxySpin.ofMicros(200, 200), false),
        /** Spins on both sides: stdin is a real OS pipe (through {@code cat}), as a browser's is. */
        SPINNING_OS_PIPE(ProxySpin.ofMicros(200, 200), true);

        final ProxySpin spin;
        final boolean osPipe;

        Wiring(ProxySpin spin, boolean osPipe) {
            this.spin = spin;
            this.osPipe = osPipe;
        }
    }

    /** A browser talking to a proxy: the test's RpcClient writes what the browser would. */
    final class Browser implements AutoCloseable {
        final RpcClient client;
        final CompletableFuture<Integer> proxyExit = new CompletableFuture<>();
        final OutputStream toProxy;
        private final Process cat;
        final EngineProxy proxy;

        Browser(EnginePaths paths, int browserFrameCap) throws Exception {
            this(paths, browserFrameCap, Wiring.SPINNING);
        }

        Browser(EnginePaths paths, int browserFrameCap, Wiring wiring) throws Exception {
            // nio pipes, not java.io ones: those break when the thread that last wrote ends
            Pipe in = Pipe.open();
            Pipe out = Pipe.open();
            InputStream proxyIn;
            if (wiring.osPipe) {
                cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
                toProxy = cat.getOutputStream();
                proxyIn = cat.getInputStream();
            } else {
                cat = null;
                toProxy = Channels.newOutputStream(in.sink());
                proxyIn = Channels.newInputStream(in.source());
            }
            InputStream fromProxy = Channels.newInputStream(out.source());
            OutputStream proxyOut = Channels.newOutputStream(out.sink());
            EngineLauncher launcher = new EngineLauncher(paths, Duration.ofSeconds(20), p -> {
                try {
                    engines.add(TestEngine.start(p, 600));
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
                return null;
            });
            proxy = new EngineProxy(launcher, null, new FrameReader(proxyIn),
                    new FrameWriter(proxyOut, browserFrameCap, ByteOrder.nativeOrder()), wiring.spin);
            Thread t = new Thread(() -> proxyExit.complete(proxy.run()), "test-proxy");
            t.setDaemon(true);
            t.start();
            client = new RpcClient(new FrameReader(fromProxy), new FrameWriter(toProxy, FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
        }

        JsonNode call(String method, JsonNode params) throws Exception {
            return client.call(method, params).get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            toProxy.close();
            proxyExit.get(10, TimeUnit.SECONDS);
            if (cat != null) cat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void firstRequestStartsTheEngineAndAnswersFlowBack(Wiring wiring) throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (Browser b = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES, wiring)) {
            assertThat(b.call("host.info", null).path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            JsonNode status = b.call("engine.status", null);
            assertThat(status.path("clients")).hasSize(1);
            assertThat(status.path("clients").get(0).path("kind").asText()).isEqualTo("browser");
            assertThat(status.path("clients").get(0).path("origin").asText()).isEqualTo("local");
            assertThatThrownBy(() -> b.call("no.such", null)).hasCauseInstanceOf(RpcException.class);
        }
        assertThat(engines).hasSize(1);
    }

    /**
     * Bursts of requests with pauses longer and shorter than the spin budget, so the socket changes hands
     * between the polling main thread and the engine-reader many times: every answer arrives, once.
     */
    @ParameterizedTest
    @EnumSource(Wiring.class)
    void everyAnswerArrivesWhileTheSocketChangesHandsBetweenPollingAndSleeping(Wiring wiring) throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        java.util.Random random = new java.util.Random(7);
        try (Browser b = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES, wiring)) {
            for (int round = 0; round < 60; round++) {
                List<CompletableFuture<JsonNode>> calls = new java.util.ArrayList<>();
                for (int i = random.nextInt(20) + 1; i > 0; i--) {
                    String text = "x".repeat(random.nextInt(4) == 0 ? 200_000 : random.nextInt(50)) + round + "/" + i;
                    int delayMs = random.nextInt(5) == 0 ? random.nextInt(3) : 0;
                    calls.add(b.client.call("host.echo", Json.object().put("value", text).put("delayMs", delayMs))
                            .thenApply(r -> Json.object().put("sent", text).put("got", r.path("value").asText())));
                }
                for (CompletableFuture<JsonNode> c : calls) {
                    JsonNode r = c.get(20, TimeUnit.SECONDS);
                    assertThat(r.path("got").asText()).isEqualTo(r.path("sent").asText());
                }
                long pauseMicros = random.nextInt(3) == 0 ? 0 : random.nextInt(2_000);
                Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
            }
            b.close();
            long[] polled = b.proxy.polledFrames();
            if (wiring.spin.off()) assertThat(polled).containsExactly(0, 0);
            else assertThat(polled[1]).as("answers caught while polling").isPositive();
            if (wiring.osPipe) assertThat(polled[0]).as("requests caught while polling").isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(Wiring.class)
    void engineDeathAnswersPendingRequestsAndTheNextRequestStartsANewEngine(Wiring wiring) throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (Browser b = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES, wiring)) {
            CompletableFuture<JsonNode> job = b.client.call("test.job", Json.object().put("key", "k").put("steps", 1000).put("stepMillis", 50));
            CompletableFuture<JsonNode> job2 = b.client.call("test.job", Json.object().put("key", "k2").put("steps", 1000).put("stepMillis", 50));
            Thread.sleep(200);
            engines.get(0).close();
            for (CompletableFuture<JsonNode> f : List.of(job, job2)) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecutionException.class, e -> {
                    RpcException rpc = (RpcException) e.getCause();
                    assertThat(rpc.code()).isEqualTo(ErrorCodes.ENGINE_UNAVAILABLE);
                    assertThat(rpc.getMessage()).contains("the engine stopped; retry");
                });
            }
            assertThat(b.call("host.info", null).has("version")).isTrue();
            assertThat(engines).hasSize(2);
        }
    }

    @Test
    void answersOverTheBrowserLimitBecomeAnErrorForThatRequest() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (Browser b = new Browser(paths, 200)) {
            assertThatThrownBy(() -> b.call("host.info", null)).isInstanceOfSatisfying(ExecutionException.class,
                    e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.FRAME_TOO_LARGE));
            assertThat(b.call("jobs.cancel", Json.object().put("key", "none")).path("cancelled").asBoolean()).isFalse();
        }
    }

    @Test
    void closingTheBrowserLeavesTheJobRunningAndANewBrowserCollectsItsResult() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        Browser first = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        first.client.call("test.job", Json.object().put("key", "k").put("steps", 10).put("stepMillis", 50), progress::add);
        while (progress.isEmpty()) Thread.sleep(10);
        first.close();
        assertThat(first.proxyExit.get()).isZero();
        try (Browser second = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES)) {
            List<JsonNode> seen = new CopyOnWriteArrayList<>();
            JsonNode r = second.client.call("jobs.attach", Json.object().put("key", "test:k"), seen::add).get(20, TimeUnit.SECONDS);
            assertThat(r.path("steps").asInt()).isEqualTo(10);
            assertThat(seen).isNotEmpty();
        }
        assertThat(engines).hasSize(1);
    }
}
