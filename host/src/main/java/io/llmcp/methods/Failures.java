package io.llmcp.methods;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where what the domain threw becomes a JSON-RPC error: the domain packages fail with their
 * own exceptions and {@link Failure}s, and only here do those turn into the codes and {@code data} of
 * docs/PROTOCOL.md. Anything that is neither a domain failure nor already coded goes to the transport's
 * last resort ({@link io.llmcp.protocol.Failures}: cancelled, out of memory, internal error).
 */
public final class Failures {
    private Failures() {
    }

    /** The domain failure {@code t} (or what a future wrapped) as its coded error, or null when it is not one. */
    public static RpcException domain(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RpcException coded) return coded;
        if (!(cause instanceof DomainException d)) return null;
        return new RpcException(code(d.failure()), d.getMessage(),
                d.details().isEmpty() ? null : Json.MAPPER.valueToTree(d.details()), d);
    }

    /** Whatever {@code t} is, the error the client sees (used where no transport sits above: jobs). */
    public static RpcException toRpc(Throwable t, CancellationToken token, String what) {
        RpcException mapped = domain(t);
        return io.llmcp.protocol.Failures.toRpc(mapped != null ? mapped : t, token, what);
    }

    /** The wire code of each failure (docs/PROTOCOL.md, Errors). */
    public static int code(Failure failure) {
        return switch (failure) {
            case INVALID_INPUT -> ErrorCodes.INVALID_PARAMS;
            case INVALID_REQUEST -> ErrorCodes.INVALID_REQUEST;
            case NOT_FOUND -> ErrorCodes.NOT_FOUND;
            case NOT_ALLOWED -> ErrorCodes.ORIGIN_REFUSED;
            case STORE_UNAVAILABLE -> ErrorCodes.STORE_UNAVAILABLE;
            case STORE_CORRUPT -> ErrorCodes.STORE_CORRUPT;
            case QUOTA_EXCEEDED -> ErrorCodes.QUOTA_EXCEEDED;
            case DISK_FULL -> ErrorCodes.DISK_FULL;
            case DOWNLOAD_FAILED -> ErrorCodes.DOWNLOAD_FAILED;
            case UNAUTHORIZED -> ErrorCodes.HTTP_UNAUTHORIZED;
            case REMOTE_NOT_FOUND -> ErrorCodes.HTTP_NOT_FOUND;
            case VERIFY_FAILED -> ErrorCodes.VERIFY_FAILED;
            case URL_REFUSED -> ErrorCodes.URL_REFUSED;
            case MODEL_INVALID -> ErrorCodes.MODEL_INVALID;
            case INFERENCE_FAILED -> ErrorCodes.INFERENCE_FAILED;
            case TEMPLATE_ERROR -> ErrorCodes.TEMPLATE_ERROR;
            case ENGINE_UNAVAILABLE -> ErrorCodes.ENGINE_UNAVAILABLE;
            case BUSY -> ErrorCodes.BUSY;
            case CANCELLED -> ErrorCodes.CANCELLED;
            case INTERNAL -> ErrorCodes.INTERNAL_ERROR;
        };
    }
}
