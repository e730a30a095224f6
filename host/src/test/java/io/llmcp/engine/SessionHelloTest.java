package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import io.llmcp.protocol.RpcException;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine holds {@code session.hello} to its word (docs/PROTOCOL.md, Engine). */
class SessionHelloTest {
    static final String ALLOWED = "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/";

    @TempDir
    Path tmp;

    /** A connection that has said nothing yet. */
    static RpcClient raw(EnginePaths paths) throws Exception {
        SocketChannel ch = EngineLauncher.tryConnect(paths).orElseThrow();
        return new RpcClient(new FrameReader(SocketStreams.in(ch), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()),
                new FrameWriter(SocketStreams.out(ch), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
    }

    static int code(RpcClient c, String method, JsonNode params) throws Exception {
        try {
            c.call(method, params).get(30, TimeUnit.SECONDS);
            return 0;
        } catch (ExecutionException e) {
            return ((RpcException) e.getCause()).code();
        }
    }

    /** This connection's entry in engine.status (the engine's start-up probe may still be listed, unintroduced). */
    static JsonNode self(JsonNode status) {
        for (JsonNode c : status.path("clients")) if (c.path("you").asBoolean()) return c;
        throw new AssertionError("engine.status does not mark the caller: " + status);
    }

    static JsonNode hello(String origin, String kind) {
        return Json.object().put("origin", origin).put("kind", kind);
    }

    @Test
    void aConnectionThatNeverSaidHelloIsServedNothing() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = raw(paths)) {
            assertThat(code(c, "host.info", null)).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "engine.status", null)).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "cancel", Json.object().put("requestId", 1))).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "session.hello", hello("cli", "cli"))).isZero();
            assertThat(code(c, "host.info", null)).isZero();
        }
    }

    @Test
    void aRefusedHelloRefusesEverythingAfterIt() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = raw(paths)) {
            assertThat(code(c, "session.hello", hello("chrome-extension://evil/", "browser"))).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "host.info", null)).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "data.get", Json.object().put("key", "k"))).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "session.hello", hello("cli", "cli"))).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "host.info", null)).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
        }
    }

    @Test
    void aMalformedHelloMayBeSentAgain() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = raw(paths)) {
            assertThat(code(c, "session.hello", hello("x", "robot"))).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(code(c, "host.info", null)).isEqualTo(ErrorCodes.ORIGIN_REFUSED);
            assertThat(code(c, "session.hello", hello("cli", "cli"))).isZero();
            assertThat(code(c, "host.info", null)).isZero();
        }
    }

    @Test
    void aCliHelloCannotClaimABrowserOriginNorHelloTwice() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = raw(paths)) {
            assertThat(code(c, "session.hello", hello(ALLOWED, "cli"))).isZero();
            JsonNode me = self(c.call("engine.status", null).get(30, TimeUnit.SECONDS));
            assertThat(me.path("kind").asText()).isEqualTo("cli");
            assertThat(me.path("origin").asText()).isEqualTo("cli");
            // nor turn into a browser (or anything else) afterwards
            assertThat(code(c, "session.hello", hello(ALLOWED, "browser"))).isEqualTo(ErrorCodes.INVALID_REQUEST);
            JsonNode still = self(c.call("engine.status", null).get(30, TimeUnit.SECONDS));
            assertThat(still.path("kind").asText()).isEqualTo("cli");
            assertThat(still.path("origin").asText()).isEqualTo("cli");
        }
    }

    @Test
    void aBrowserHelloKeepsItsAllowedOrigin() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (TestEngine engine = TestEngine.start(paths, 600); RpcClient c = TestEngine.client(paths, ALLOWED, "browser")) {
            JsonNode me = self(c.call("engine.status", null).get(30, TimeUnit.SECONDS));
            assertThat(me.path("origin").asText()).isEqualTo(ALLOWED);
            assertThatThrownBy(() -> c.call("session.hello", hello("cli", "cli")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RpcException.class);
        }
    }
}
