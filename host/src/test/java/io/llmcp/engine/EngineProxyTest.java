package io.llmcp.engine;

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

/** The proxy in this JVM between pipes (the browser side) and in-JVM engines it starts through a test starter. */
class EngineProxyTest {
    @TempDir
    Path tmp;

    private final List<TestEngine> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEngines() throws Exception {
        for (TestEngine e : engines) e.close();
    }

    /** A browser talking to a proxy: the test's RpcClient writes what the browser would. */
    final class Browser implements AutoCloseable {
        final RpcClient client;
        final CompletableFuture<Integer> proxyExit = new CompletableFuture<>();
        final OutputStream toProxy;

        Browser(EnginePaths paths, int browserFrameCap) throws Exception {
            // nio pipes, not java.io ones: those break when the thread that last wrote ends
            Pipe in = Pipe.open();
            Pipe out = Pipe.open();
            toProxy = Channels.newOutputStream(in.sink());
            InputStream proxyIn = Channels.newInputStream(in.source());
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
            EngineProxy proxy = new EngineProxy(launcher, null, new FrameReader(proxyIn),
                    new FrameWriter(proxyOut, browserFrameCap, ByteOrder.nativeOrder()));
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
        }
    }

    @Test
    void firstRequestStartsTheEngineAndAnswersFlowBack() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (Browser b = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES)) {
            assertThat(b.call("host.info", null).path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            JsonNode status = b.call("engine.status", null);
            assertThat(status.path("clients")).hasSize(1);
            assertThat(status.path("clients").get(0).path("kind").asText()).isEqualTo("browser");
            assertThat(status.path("clients").get(0).path("origin").asText()).isEqualTo("local");
            assertThatThrownBy(() -> b.call("no.such", null)).hasCauseInstanceOf(RpcException.class);
        }
        assertThat(engines).hasSize(1);
    }

    @Test
    void engineDeathAnswersPendingRequestsAndTheNextRequestStartsANewEngine() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (Browser b = new Browser(paths, FrameWriter.BROWSER_MAX_FRAME_BYTES)) {
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
