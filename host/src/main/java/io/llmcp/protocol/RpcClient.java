package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The client half of the protocol, over any frame reader/writer pair: used by the CLI to talk to the
 * engine, by the proxy, by tests and by benchmarks. Notifications are routed to the request they carry
 * ({@code requestId}); {@code rpc.resultPart} slices are reassembled; when the connection ends every
 * pending call fails with {@link ErrorCodes#ENGINE_UNAVAILABLE}.
 */
public final class RpcClient implements Closeable {
    private final FrameReader reader;
    private final FrameWriter writer;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Thread readerThread;
    private volatile Consumer<ObjectNode> unrouted = n -> { };
    private volatile boolean closed;

    public RpcClient(FrameReader reader, FrameWriter writer) {
        this.reader = reader;
        this.writer = writer;
        this.readerThread = new Thread(this::readLoop, "rpc-client-reader");
        readerThread.setDaemon(true);
        readerThread.start();
    }

    /** Receives notifications that belong to no pending call of this client. */
    public void onUnroutedNotification(Consumer<ObjectNode> listener) {
        this.unrouted = listener;
    }

    public CompletableFuture<JsonNode> call(String method, JsonNode params) {
        return call(method, params, n -> { });
    }

    /** Sends a request; {@code onNotification} gets each notification (whole message) tagged with its id. */
    public CompletableFuture<JsonNode> call(String method, JsonNode params, Consumer<ObjectNode> onNotification) {
        long id = ids.incrementAndGet();
        Pending p = new Pending(onNotification);
        pending.put(id, p);
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("id", id).put("method", method);
        if (params != null) msg.set("params", params);
        try {
            if (closed) throw new IOException("connection closed");
            writer.write(Json.MAPPER.writeValueAsBytes(msg));
        } catch (IOException e) {
            pending.remove(id);
            p.future.completeExceptionally(new RpcException(ErrorCodes.ENGINE_UNAVAILABLE, "cannot send: " + e.getMessage()));
        }
        return p.future;
    }

    /**
     * Introduces this client on an engine socket, {@code session.hello {origin, kind}}: the first call of every
     * connection (docs/PROTOCOL.md). Here so that its callers need not build the wire's JSON.
     */
    public CompletableFuture<JsonNode> hello(String origin, String kind) {
        return call("session.hello", Json.object().put("origin", origin).put("kind", kind));
    }

    /** The id the next {@link #call} will use; lets a caller cancel it. */
    public long lastId() {
        return ids.get();
    }

    private void readLoop() {
        try {
            byte[] frame;
            while ((frame = reader.read()) != null) {
                dispatch((ObjectNode) Json.MAPPER.readTree(frame));
            }
        } catch (IOException | RuntimeException e) {
            // falls through: the connection is gone either way
        } finally {
            closed = true;
            RpcException gone = new RpcException(ErrorCodes.ENGINE_UNAVAILABLE, "the host closed the connection");
            pending.values().forEach(p -> p.future.completeExceptionally(gone));
            pending.clear();
        }
    }

    private void dispatch(ObjectNode msg) {
        if (msg.has("method")) {
            JsonNode rid = msg.path("params").path("requestId");
            Pending p = rid.isIntegralNumber() ? pending.get(rid.asLong()) : null;
            if (p == null) {
                unrouted.accept(msg);
            } else if ("rpc.resultPart".equals(msg.get("method").asText())) {
                byte[] piece = Base64.getDecoder().decode(msg.path("params").path("data").asText());
                p.parts.writeBytes(piece);
            } else {
                p.onNotification.accept(msg);
            }
            return;
        }
        JsonNode id = msg.get("id");
        Pending p = id != null && id.isIntegralNumber() ? pending.remove(id.asLong()) : null;
        if (p == null) return;
        if (msg.has("error")) {
            JsonNode err = msg.get("error");
            p.future.completeExceptionally(new RpcException(err.path("code").asInt(), err.path("message").asText(), err.get("data")));
            return;
        }
        JsonNode result = msg.get("result");
        if (result != null && result.has("$parts")) {
            try {
                result = Json.MAPPER.readTree(p.parts.toByteArray());
            } catch (IOException e) {
                p.future.completeExceptionally(new RpcException(ErrorCodes.PARSE_ERROR, "bad multi-part result"));
                return;
            }
        }
        p.future.complete(result);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        writer.close();
    }

    private static final class Pending {
        final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        final Consumer<ObjectNode> onNotification;
        final ByteArrayOutputStream parts = new ByteArrayOutputStream();

        Pending(Consumer<ObjectNode> onNotification) {
            this.onNotification = onNotification;
        }
    }
}
