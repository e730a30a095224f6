package io.llmcp.fetch;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import io.llmcp.protocol.CancellationToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** The state of one file's download, shared by the one-stream and the parallel-parts paths. */
final class Transfer {
    final DownloadRequest req;
    final HttpUrl url;
    final DownloadTarget target;
    final ProgressReporter progress;
    final CancellationToken token;
    /** Bytes received and written in this call. */
    long downloaded;
    /** The file's size as the server told it in this call, else the expected size, else -1. */
    long total;
    String finalUrl;
    /** True once a response in this call confirmed what the target holds. */
    boolean confirmed;

    Transfer(DownloadRequest req, HttpUrl url, DownloadTarget target, ProgressReporter progress, CancellationToken token) {
        this.req = req;
        this.url = url;
        this.target = target;
        this.progress = progress;
        this.token = token;
        this.total = req.expectedSize();
    }

    /**
     * GET of the original URL (never a redirect target: those may be signed and expired by now), asking for
     * {@code from..to} (to = -1: to the end). {@code If-Range} makes the server send the whole file instead of
     * a range when the file changed since we got the first bytes.
     */
    Request request(long from, long to) {
        Request.Builder b = new Request.Builder().url(url).header("Accept-Encoding", "identity");
        if (from > 0 || to >= 0) {
            b.header("Range", "bytes=" + from + "-" + (to >= 0 ? Long.toString(to) : ""));
            String etag = target.etag();
            if (isStrong(etag)) b.header("If-Range", etag);
        }
        return b.build();
    }

    /** Registers the call with the request's cancellation, so cancel stops a blocked read at once. */
    Call track(Call call) {
        token.onCancel(call::cancel);
        return call;
    }

    void write(ByteBuffer data) {
        int n = data.remaining();
        try {
            target.write(data);
        } catch (IOException e) {
            throw HttpFailures.storage(req.url(), e);
        }
        downloaded += n;
        progress.bytes(target.committedBytes());
    }

    void restart(String why) {
        try {
            target.restart();
        } catch (IOException e) {
            throw HttpFailures.storage(req.url(), e);
        }
        progress.bytes(0);
        Downloader.log.info("{}: {}; starting over from byte 0", req.path(), why);
    }

    void recordSource(String etag, long size) {
        try {
            target.setSource(req.url(), etag, size);
        } catch (IOException e) {
            throw HttpFailures.storage(req.url(), e);
        }
    }

    /** The server's size differs from the one announced before: the file changed under us. */
    void checkAnnouncedSize(long serverTotal) {
        if (req.expectedSize() >= 0 && serverTotal >= 0 && serverTotal != req.expectedSize()) {
            try {
                target.discard();
            } catch (IOException ignored) {
                // already failing; the message says what matters
            }
            throw new FetchException(Failure.VERIFY_FAILED, req.path() + ": the server sends " + serverTotal
                    + " bytes but announced " + req.expectedSize() + " (the file changed?); nothing was kept",
                    Details.of("url", req.url(), "size", serverTotal, "expectedSize", req.expectedSize()));
        }
    }

    static boolean isStrong(String etag) {
        return etag != null && !etag.isBlank() && !etag.startsWith("W/");
    }
}
