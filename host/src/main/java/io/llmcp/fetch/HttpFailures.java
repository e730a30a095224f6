package io.llmcp.fetch;

import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/** Turns HTTP answers and I/O failures into the coded errors a user can act on. */
final class HttpFailures {
    private HttpFailures() {
    }

    static RpcException forStatus(int status, String url) {
        var data = Json.object().put("status", status).put("url", url);
        if (status == 401 || status == 403) {
            return new RpcException(ErrorCodes.HTTP_UNAUTHORIZED, "HTTP " + status + " for " + url
                    + ": gated or private repo: accept its terms on the website, then set a token with"
                    + " \"fetch\": {\"token\": \"hf_...\"} in the host's config.json (or the HF_TOKEN environment variable)", data);
        }
        if (status == 404 || status == 410) {
            return new RpcException(ErrorCodes.HTTP_NOT_FOUND, "not found (HTTP " + status + "): " + url, data);
        }
        String why = status >= 500 || status == 429 ? "the server kept failing" : "the server refused the request";
        return new RpcException(ErrorCodes.DOWNLOAD_FAILED, why + " (HTTP " + status + ") for " + url, data);
    }

    static RpcException network(String url, IOException e, int attempts) {
        return new RpcException(ErrorCodes.DOWNLOAD_FAILED, "download of " + url + " failed after " + attempts
                + " attempts: " + e.getMessage() + " (the bytes received so far are kept; pull again to resume)",
                Json.object().put("url", url).put("attempts", attempts), e);
    }

    /** A failure writing what we received: disk full gets its own code, the rest is a download failure. */
    static RpcException storage(String url, IOException e) {
        if (isDiskFull(e)) {
            return new RpcException(ErrorCodes.DISK_FULL, "disk full while saving " + url + ": free some space (or run `llmcp gc`)"
                    + " and pull again to resume", Json.object().put("url", url), e);
        }
        return new RpcException(ErrorCodes.DOWNLOAD_FAILED, "could not save " + url + ": " + e.getMessage(),
                Json.object().put("url", url), e);
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException f ? f.getReason() + " " + f.getMessage() : t.getMessage();
            if (m == null) continue;
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left") || lower.contains("disk quota exceeded") || lower.contains("not enough space")
                    || lower.contains("disk is full")) return true;
        }
        return false;
    }
}
