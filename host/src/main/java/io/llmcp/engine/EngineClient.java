package io.llmcp.engine;

import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
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
    /** Where this connection is in its introduction (see {@link #admit}). */
    private volatile Hello hello = Hello.NONE;

    enum Hello { NONE, PENDING, DONE, REFUSED }

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
        this.hello = Hello.DONE;
    }

    /** True once {@code session.hello} succeeded: only then does the connection get broadcasts. */
    boolean introduced() {
        return hello == Hello.DONE;
    }

    /** The hello failed: refused (-32002) locks the connection for good; a malformed one may be sent again. */
    public void helloFailed(boolean refused) {
        this.hello = refused ? Hello.REFUSED : Hello.NONE;
    }

    /**
     * The engine serves a connection nothing but {@code session.hello} until a hello succeeds, then anything
     * but a second hello; after a refused hello, nothing. Runs on the connection's reader thread, in frame order.
     */
    synchronized RpcException admit(String method) {
        boolean isHello = method.equals("session.hello");
        switch (hello) {
            case DONE:
                return isHello ? new RpcException(ErrorCodes.INVALID_REQUEST,
                        "invalid request: this connection already said session.hello") : null;
            case REFUSED:
                return new RpcException(ErrorCodes.ORIGIN_REFUSED,
                        "this connection's session.hello was refused; open a new connection");
            case PENDING:
                return new RpcException(ErrorCodes.ORIGIN_REFUSED,
                        "session.hello has not been answered yet: wait for its answer before sending requests");
            default:
                if (!isHello) {
                    return new RpcException(ErrorCodes.ORIGIN_REFUSED,
                            "say session.hello first: the engine serves a connection only after it introduced itself");
                }
                hello = Hello.PENDING;
                return null;
        }
    }
}
