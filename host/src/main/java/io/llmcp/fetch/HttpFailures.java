package io.llmcp.fetch;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/** Turns HTTP answers and I/O failures into the coded errors a user can act on. */
final class HttpFailures {
    private HttpFailures() {
    }

    static FetchException forStatus(int status, String url) {
        var data = Details.of("status", status, "url", url);
        if (status == 401 || status == 403) {
            return new FetchException(Failure.UNAUTHORIZED, "HTTP " + status + " for " + url
                    + ": gated or private repo: accept its terms on the website, then give the host a token: the panel's"
                    + " Status tab (Hugging Face token), `llmcp config set fetch.token hf_...`, or the HF_TOKEN environment variable", data);
        }
        if (status == 404 || status == 410) {
            return new FetchException(Failure.REMOTE_NOT_FOUND, "not found (HTTP " + status + "): " + url, data);
        }
        String why = status >= 500 || status == 429 ? "the server kept failing" : "the server refused the request";
        return new FetchException(Failure.DOWNLOAD_FAILED, why + " (HTTP " + status + ") for " + url, data);
    }

    static FetchException network(String url, IOException e, int attempts) {
        return new FetchException(Failure.DOWNLOAD_FAILED, "download of " + url + " failed after " + attempts
                + " attempts: " + e.getMessage() + " (the bytes received so far are kept; pull again to resume)",
                Details.of("url", url, "attempts", attempts), e);
    }

    /** A failure writing what we received: disk full gets its own code, the rest is a download failure. */
    static FetchException storage(String url, IOException e) {
        if (isDiskFull(e)) {
            return new FetchException(Failure.DISK_FULL, "disk full while saving " + url + ": free some space (or run `llmcp gc`)"
                    + " and pull again to resume", Details.of("url", url), e);
        }
        return new FetchException(Failure.DOWNLOAD_FAILED, "could not save " + url + ": " + e.getMessage(),
                Details.of("url", url), e);
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
