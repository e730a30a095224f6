package io.llmcp.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcSession;
import java.nio.channels.SocketChannel;
import java.time.Instant;

/** One connected client of the engine: its session, and who it said it is ({@code session.hello}). */
public final class EngineClient {
    private final int id;
    private final RpcSession session;
    private final SocketChannel channel;
    private final Instant connectedAt = Instant.now();
    private volatile String origin = "unknown";
    private volatile String kind = "unknown";

    EngineClient(int id, RpcSession session, SocketChannel channel) {
        this.id = id;
        this.session = session;
        this.channel = channel;
    }

    public int id() {
        return id;
    }

    public String origin() {
        return origin;
    }

    public String kind() {
        return kind;
    }

    RpcSession session() {
        return session;
    }

    SocketChannel channel() {
        return channel;
    }

    void hello(String origin, String kind) {
        this.origin = origin;
        this.kind = kind;
        session.setOrigin(origin);
    }

    ObjectNode describe() {
        return Json.object().put("id", id).put("origin", origin).put("kind", kind)
                .put("connectedAt", connectedAt.toString()).put("inFlight", session.inFlightCount());
    }
}
