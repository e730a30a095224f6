package io.llmcp.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code llmcp native-host} by default: the thin process a browser starts. Pumps frames between the
 * browser (stdin/stdout) and the user's engine (Unix socket) without re-parsing them, apart from a
 * streaming look at each frame's {@code id}:
 * <ul>
 *   <li>it remembers the ids of requests in flight, so when the engine dies it answers each of them with
 *       {@code ENGINE_UNAVAILABLE} instead of leaving the page waiting; the next request starts a new engine
 *       (the browser's port stays open);</li>
 *   <li>it keeps the browser's 1 MiB limit: a bigger frame from the engine becomes an error answer to its
 *       request instead of a dropped port;</li>
 *   <li>its first frame on every engine connection is {@code session.hello {origin, kind: "browser"}}.</li>
 * </ul>
 * It ends when the browser closes stdin; the engine and its jobs carry on.
 */
public final class EngineProxy {
    private static final Logger log = LoggerFactory.getLogger(EngineProxy.class);
    static final String ENGINE_GONE = "the engine stopped; retry — a new one will start";

    private final EngineLauncher launcher;
    private final String origin;
    private final FrameReader browserIn;
    private final FrameWriter browserOut;
    private final Map<String, JsonNode> pending = new ConcurrentHashMap<>();
    private volatile EngineLink link;

    public EngineProxy(EngineLauncher launcher, String origin, FrameReader browserIn, FrameWriter browserOut) {
        this.launcher = launcher;
        this.origin = origin == null ? "local" : origin;
        this.browserIn = browserIn;
        this.browserOut = browserOut;
    }

    /** Serves until the browser closes stdin. */
    public int run() {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = browserIn.read();
                } catch (FrameReader.OversizedFrameException e) {
                    log.warn("refused a frame from the browser: {}", e.getMessage());
                    answerError(null, ErrorCodes.FRAME_TOO_LARGE, e.getMessage());
                    continue;
                }
                if (frame == null) break;
                forward(frame);
            }
            log.info("browser closed the port; proxy exiting");
        } catch (IOException e) {
            log.warn("browser stream failed: {}; proxy exiting", e.toString());
        } finally {
            EngineLink l = link;
            if (l != null) l.close();
        }
        return 0;
    }

    private void forward(byte[] frame) {
        FrameIds ids = FrameIds.scan(frame);
        if (ids.isRequest()) pending.put(ids.key(), ids.id());
        EngineLink l;
        try {
            l = link();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot reach the engine: {}", e.getMessage());
            if (ids.isRequest() && pending.remove(ids.key()) != null) {
                answerError(ids.id(), ErrorCodes.ENGINE_UNAVAILABLE, "cannot reach the engine: " + e.getMessage());
            }
            return;
        }
        try {
            l.writer.write(frame);
        } catch (IOException e) {
            log.warn("writing to the engine failed: {}", e.toString());
            l.close();
        }
        // The link may have died between our write and its reader's sweep of pending requests.
        if (l.dead && ids.isRequest() && pending.remove(ids.key()) != null) {
            answerError(ids.id(), ErrorCodes.ENGINE_UNAVAILABLE, ENGINE_GONE);
        }
    }

    /** The live engine connection, (re)connecting — and starting the engine — when there is none. */
    private synchronized EngineLink link() throws IOException {
        EngineLink l = link;
        if (l != null && !l.dead) return l;
        l = connectWithRetry();
        link = l;
        EngineLink started = l;
        Thread t = new Thread(() -> pumpToBrowser(started), "proxy-engine-reader");
        t.setDaemon(true);
        t.start();
        return l;
    }

    /**
     * A dying engine can still accept a connection (its listening socket outlives it by a moment) and
     * then reset it; a couple of retries cover that window, after which the launcher starts a new engine.
     */
    private EngineLink connectWithRetry() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EngineLink l = null;
            try {
                l = new EngineLink(launcher.connectOrStart());
                l.hello(origin);
                return l;
            } catch (RuntimeException e) {
                if (l != null) l.close();
                throw e;
            } catch (IOException e) {
                if (l != null) l.close();
                last = e;
                log.info("engine connection attempt {} failed: {}", attempt + 1, e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    private void pumpToBrowser(EngineLink l) {
        try {
            byte[] frame;
            while (true) {
                try {
                    frame = l.reader.read();
                } catch (FrameReader.OversizedFrameException e) {
                    log.error("dropped a frame from the engine: {}", e.getMessage());
                    continue;
                }
                if (frame == null) break;
                FrameIds ids = FrameIds.scan(frame);
                if (ids.isResponse()) pending.remove(ids.key());
                try {
                    browserOut.write(frame);
                } catch (FrameWriter.FrameTooLargeException e) {
                    log.error("frame from the engine over the browser limit: {}", e.getMessage());
                    if (ids.id() != null) {
                        pending.remove(ids.key());
                        answerError(ids.id(), ErrorCodes.FRAME_TOO_LARGE, "the answer (" + frame.length
                                + " bytes) is over the browser's 1 MiB message limit");
                    }
                }
            }
            log.warn("the engine closed the connection");
        } catch (IOException e) {
            log.warn("the engine connection failed: {}", e.toString());
        } finally {
            l.close();
            for (String key : pending.keySet()) {
                JsonNode id = pending.remove(key);
                if (id != null) answerError(id, ErrorCodes.ENGINE_UNAVAILABLE, ENGINE_GONE);
            }
        }
    }

    private void answerError(JsonNode id, int code, String message) {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0");
        msg.set("id", id == null ? com.fasterxml.jackson.databind.node.NullNode.instance : id);
        msg.putObject("error").put("code", code).put("message", message);
        try {
            browserOut.write(Json.MAPPER.writeValueAsBytes(msg));
        } catch (IOException e) {
            log.debug("could not answer the browser: {}", e.toString());
        }
    }

    /** One connection to the engine. */
    private static final class EngineLink {
        final SocketChannel channel;
        final FrameReader reader;
        final FrameWriter writer;
        volatile boolean dead;

        EngineLink(SocketChannel channel) {
            this.channel = channel;
            // Anything over 1 MiB is refused at the browser writer with an answer; the reader's cap is the usual one.
            this.reader = new FrameReader(new BufferedInputStream(SocketStreams.in(channel), 1 << 16),
                    FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
            this.writer = new FrameWriter(new BufferedOutputStream(SocketStreams.out(channel), 1 << 16),
                    FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
        }

        /** The first frame of every connection: who the client is. Waits for the answer (nothing else is in flight). */
        void hello(String origin) throws IOException {
            ObjectNode req = Json.object().put("jsonrpc", "2.0").put("id", "proxy-hello").put("method", "session.hello");
            req.putObject("params").put("origin", origin).put("kind", "browser");
            writer.write(Json.MAPPER.writeValueAsBytes(req));
            byte[] answer = reader.read();
            if (answer == null) throw new IOException("the engine closed the connection during session.hello");
            JsonNode reply = Json.MAPPER.readTree(answer);
            if (reply.has("error")) {
                throw new io.llmcp.protocol.RpcException(reply.path("error").path("code").asInt(ErrorCodes.ENGINE_UNAVAILABLE),
                        "the engine refused session.hello: " + reply.path("error").path("message").asText());
            }
        }

        void close() {
            dead = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
