package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients of the engine that write much more than they read. */
class EngineFloodTest {
    @TempDir
    Path tmp;

    static byte[] frame(ObjectNode msg) throws Exception {
        byte[] body = Json.MAPPER.writeValueAsBytes(msg);
        return ByteBuffer.allocate(4 + body.length).order(ByteOrder.nativeOrder()).putInt(body.length).put(body).array();
    }

    /** A raw connection that has said hello (and read its answer), then reads only when the test says so. */
    static final class RawClient implements AutoCloseable {
        final SocketChannel ch;
        final OutputStream out;
        final InputStream in;
        final FrameReader reader;

        RawClient(EnginePaths paths) throws Exception {
            ch = EngineLauncher.tryConnect(paths).orElseThrow();
            out = SocketStreams.out(ch);
            in = SocketStreams.in(ch);
            reader = new FrameReader(in, Integer.MAX_VALUE, ByteOrder.nativeOrder());
            ObjectNode hello = Json.object().put("jsonrpc", "2.0").put("id", "hello").put("method", "session.hello");
            hello.putObject("params").put("origin", "cli").put("kind", "cli");
            out.write(frame(hello));
            assertThat(Json.MAPPER.readTree(reader.read()).has("result")).isTrue();
        }

        @Override
        public void close() throws Exception {
            ch.close();
        }
    }

    @Test
    void tenThousandPipelinedRequestsOnOneConnectionAreAllAnsweredOnce() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RawClient c = new RawClient(paths)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int requests = 10_000;
            for (int i = 0; i < requests; i++) {
                ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", i);
                switch (i % 3) {
                    case 0 -> msg.put("method", "host.echo").putObject("params").put("value", "v" + i);
                    case 1 -> msg.put("method", "no.such.method");
                    default -> msg.put("method", "cancel").putObject("params").put("requestId", "nobody-" + i);
                }
                all.write(frame(msg));
            }
            byte[] wire = all.toByteArray();
            // a hang guard, not a speed check: the old engine stopped reading when its answers filled the socket
            CompletableFuture.runAsync(() -> {
                try {
                    c.out.write(wire);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }).get(120, TimeUnit.SECONDS);
            Map<Long, Integer> answered = new HashMap<>();
            for (int n = 0; n < requests; n++) {
                JsonNode m = Json.MAPPER.readTree(c.reader.read());
                long id = m.get("id").asLong();
                answered.merge(id, 1, Integer::sum);
                if (id % 3 == 1) assertThat(m.at("/error/code").asInt()).isEqualTo(ErrorCodes.METHOD_NOT_FOUND);
            }
            assertThat(answered).hasSize(requests);
            assertThat(answered.values()).containsOnly(1);
        }
    }

    @Test
    void aClientThatNeverReadsDoesNotStallAnotherOne() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RawClient stalled = new RawClient(paths)) {
            AtomicLong written = new AtomicLong();
            Thread flood = new Thread(() -> {
                try {
                    String value = "x".repeat(100_000);
                    for (int i = 0; ; i++) {
                        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", i);
                        if (i % 2 == 0) msg.put("method", "host.echo").putObject("params").put("value", value);
                        else msg.put("method", "no.such.method." + value);
                        stalled.out.write(frame(msg));
                        written.incrementAndGet();
                    }
                } catch (Exception e) {
                    // the connection closed at the end of the test
                }
            }, "stalled-client");
            flood.setDaemon(true);
            flood.start();
            // wait until the engine has stopped reading the stalled client: its writes no longer get through
            long last = -1;
            while (written.get() != last) {
                last = written.get();
                Thread.sleep(500);
            }
            assertThat(written.get()).as("requests the stalled client got in").isGreaterThan(10);
            try (RpcClient other = TestEngine.client(paths, "cli", "cli")) {
                // hang guards, not speed checks
                assertThat(other.call("host.echo", Json.object().put("value", "ok")).get(30, TimeUnit.SECONDS).path("value").asText())
                        .isEqualTo("ok");
                JsonNode status = other.call("engine.status", null).get(30, TimeUnit.SECONDS);
                assertThat(status.path("clients")).hasSize(2);
            }
            // and the stalled client still gets its answers, in order of arrival, once it reads
            for (int n = 0; n < 5; n++) assertThat(stalled.reader.read()).isNotNull();
        }
    }
}
