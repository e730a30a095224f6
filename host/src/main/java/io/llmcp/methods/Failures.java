package io.llmcp.methods;

import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.RpcException;

/**
 * The one place where what the domain threw becomes a JSON-RPC error: the domain packages fail with their
 * own exceptions and reasons, and only here do those turn into the codes and {@code data} of
 * docs/PROTOCOL.md. Anything that is neither a domain failure nor already coded goes to the transport's
 * last resort ({@link io.llmcp.protocol.Failures}: cancelled, out of memory, internal error).
 */
public final class Failures {
    private Failures() {
    }

    /** The domain failure {@code t} as its coded error, or null when {@code t} is not one. */
    public static RpcException domain(Throwable t) {
        return null;
    }

    /** Whatever {@code t} is, the error the client sees (used where no transport sits above: jobs). */
    public static RpcException toRpc(Throwable t, CancellationToken token, String what) {
        RpcException mapped = domain(t);
        return io.llmcp.protocol.Failures.toRpc(mapped != null ? mapped : t, token, what);
    }
}
