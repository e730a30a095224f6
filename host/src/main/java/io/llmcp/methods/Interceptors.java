package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcHandler;
import io.llmcp.protocol.RpcException;
import io.llmcp.protocol.RpcInterceptor;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain every host method runs inside, assembled here and nowhere else. Outermost first:
 * <ol>
 * <li>logging — one debug line per call with its duration and outcome, so a slow or failing method shows up
 *     in the log without each handler saying so;</li>
 * <li>failures — a domain exception becomes its coded error ({@link Failures}); coded errors pass through;</li>
 * <li>cancellation — a handler that returns after its request was cancelled answers "cancelled", with what it
 *     had done as the error's data (a stopped generation's partial text and speed).</li>
 * </ol>
 * Anything else a handler throws reaches the transport's last resort, which logs it and answers -32603.
 */
public final class Interceptors {
    private static final Logger log = LoggerFactory.getLogger(Interceptors.class);

    private Interceptors() {
    }

    public static List<RpcInterceptor> chain() {
        return List.of(Interceptors::logging, Interceptors::failures, Interceptors::cancellation);
    }

    static JsonNode logging(RpcCall call, RpcHandler next)
            throws Exception {
        long start = System.nanoTime();
        try {
            var result = next.handle(call);
            if (log.isDebugEnabled()) log.debug("{} ok in {} ms", call.method(), (System.nanoTime() - start) / 1_000_000);
            return result;
        } catch (RpcException e) {
            if (log.isDebugEnabled()) {
                log.debug("{} answered {} in {} ms", call.method(), e.code(), (System.nanoTime() - start) / 1_000_000);
            }
            throw e;
        }
    }

    static JsonNode failures(RpcCall call, RpcHandler next)
            throws Exception {
        try {
            return next.handle(call);
        } catch (RpcException e) {
            throw e;
        } catch (Exception | Error e) {
            RpcException mapped = Failures.domain(e);
            if (mapped == null) throw e;
            throw mapped;
        }
    }

    static JsonNode cancellation(RpcCall call, RpcHandler next)
            throws Exception {
        var result = next.handle(call);
        if (call.token().isCancelled()) throw new RpcException(ErrorCodes.CANCELLED, "cancelled", result);
        return result;
    }
}
