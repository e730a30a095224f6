package io.llmcp.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.engine.EngineLauncher;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.TestEngine;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A browser that writes 10,000 requests back to back before it reads anything, through the proxy to an
 * in-JVM engine: a mix of {@code host.echo} (answered by an engine worker), unknown methods and cancels of
 * unknown ids (answered by the engine's reading thread at once). Every request is answered exactly once.
 */
class ProxyFloodTest {
    static final int REQUESTS = 10_000;

    @TempDir
    Path tmp;

    private final List<TestEngine> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEngines() throws Exception {
        for (TestEngine e : engines) e.close();
    }

    static byte[] frames(int count) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", i);
            switch (i % 3) {
                case 0 -> msg.put("method", "host.echo").putObject("params").put("value", "v" + i);
                case 1 -> msg.put("method", "no.such.method");
                default -> msg.put("method", "cancel").putObject("params").put("requestId", "nobody-" + i);
            }
            byte[] body = Json.MAPPER.writeValueAsBytes(msg);
            all.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(body.length).array());
            all.write(body);
        }
        return all.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(EngineProxyTest.Wiring.class)
    void tenThousandPipelinedRequestsAreAllAnsweredOnce(EngineProxyTest.Wiring wiring) throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        Process cat = null;
        OutputStream toProxy;
        InputStream proxyIn;
        if (wiring.osPipe) {
            cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            toProxy = cat.getOutputStream();
            proxyIn = cat.getInputStream();
        } else {
            toProxy = Channels.newOutputStream(in.sink());
            proxyIn = Channels.newInputStream(in.source());
        }
        InputStream fromProxy = Channels.newInputStream(out.source());
        EngineLauncher launcher = new EngineLauncher(paths, Duration.ofSeconds(20), p -> {
            try {
                engines.add(TestEngine.start(p, 600));
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            return null;
        });
        EngineProxy proxy = new EngineProxy(launcher, null, new FrameReader(proxyIn),
                new FrameWriter(Channels.newOutputStream(out.sink())), wiring.spin);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> exit.complete(proxy.run()), "flood-proxy");
        t.setDaemon(true);
        t.start();

        byte[] wire = frames(REQUESTS);
        OutputStream sink = toProxy;
        // All of it before reading a single answer. A hang guard, not a speed check: through the old proxy
        // this write never finished (it stopped reading the browser once nobody drained the engine).
        CompletableFuture.runAsync(() -> {
            try {
                for (int off = 0; off < wire.length; off += 8192) {
                    sink.write(wire, off, Math.min(8192, wire.length - off));
                }
                sink.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(120, TimeUnit.SECONDS);

        FrameReader answers = new FrameReader(fromProxy, Integer.MAX_VALUE, ByteOrder.nativeOrder());
        Map<Long, Integer> answered = new HashMap<>();
        for (int n = 0; n < REQUESTS; n++) {
            byte[] f = CompletableFuture.supplyAsync(() -> {
                try {
                    return answers.read();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(f).as("answer %d of %d", n + 1, REQUESTS).isNotNull();
            JsonNode m = Json.MAPPER.readTree(f);
            long id = m.get("id").asLong();
            answered.merge(id, 1, Integer::sum);
            switch ((int) (id % 3)) {
                case 0 -> assertThat(m.at("/result/value").asText()).isEqualTo("v" + id);
                case 1 -> assertThat(m.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
                default -> assertThat(m.at("/result/cancelled").asBoolean(true)).isFalse();
            }
        }
        assertThat(answered).hasSize(REQUESTS);
        assertThat(answered.values()).containsOnly(1);
        toProxy.close();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        if (cat != null) cat.waitFor(10, TimeUnit.SECONDS);
    }
}
