package io.llmcp.engine;

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

    public Instant connectedAt() {
        return connectedAt;
    }

    /** Requests of this client still running. */
    public int inFlight() {
        return session.inFlightCount();
    }

    /** Records what {@code session.hello} said; later requests see the origin in {@code RpcCall.origin()}. */
    public void hello(String origin, String kind) {
        this.origin = origin;
        this.kind = kind;
        session.setOrigin(origin);
    }
}
