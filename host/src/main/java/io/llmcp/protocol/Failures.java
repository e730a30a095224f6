package io.llmcp.protocol;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps whatever a handler threw to the error object the client sees. */
public final class Failures {
    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    public static RpcException toRpc(Throwable t, CancellationToken token, String method) {
        if (t instanceof RpcException e) {
            if (e.code() == ErrorCodes.INTERNAL_ERROR) log.error("{} failed", method, e);
            return e;
        }
        if (token != null && token.isCancelled()) return RpcException.cancelled();
        if (t instanceof OutOfMemoryError) {
            log.error("{} ran out of memory", method, t);
            return new RpcException(ErrorCodes.INTERNAL_ERROR,
                    "the host ran out of memory during " + method + "; close other models or raise -Xmx");
        }
        log.error("{} failed", method, t);
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new RpcException(ErrorCodes.INTERNAL_ERROR, "internal error in " + method + ": " + msg);
    }
}
