package io.llmcp.fetch;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import io.llmcp.protocol.CancellationToken;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code HEAD} a file, following redirects by hand. Hugging Face answers an LFS file with a redirect that
 * carries {@code X-Linked-Etag} (the SHA-256) and {@code X-Linked-Size}; the CDN behind it may refuse a HEAD on
 * its signed URL, so once those headers are seen we stop there, as huggingface_hub does.
 */
final class HeadProbe {
    private static final int MAX_HOPS = 10;

    private final OkHttpClient noRedirects;
    private final UrlPolicy policy;

    HeadProbe(OkHttpClient client, UrlPolicy policy) {
        this.noRedirects = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
        this.policy = policy;
    }

    RemoteFile probe(String url, CancellationToken token) {
        HttpUrl current = policy.check(url);
        String linkedEtag = null;
        long linkedSize = -1;
        String revision = null;
        try {
            for (int hop = 0; hop <= MAX_HOPS; hop++) {
                token.throwIfCancelled();
                Request request = new Request.Builder().url(current).head().header("Accept-Encoding", "identity").build();
                Call call = noRedirects.newCall(request);
                token.onCancel(call::cancel);
                try (Response resp = call.execute()) {
                    if (linkedEtag == null) linkedEtag = resp.header("X-Linked-Etag");
                    if (linkedSize < 0) linkedSize = parseLong(resp.header("X-Linked-Size"));
                    if (revision == null) revision = resp.header("X-Repo-Commit");
                    if (resp.isRedirect()) {
                        String location = resp.header("Location");
                        HttpUrl next = location == null ? null : current.resolve(location);
                        if (next == null) throw new FetchException(Failure.DOWNLOAD_FAILED, "redirect without a usable Location from " + current,
                                Details.of("url", url, "status", resp.code()));
                        current = policy.check(next);
                        if (linkedEtag != null && linkedSize >= 0) {
                            return remote(linkedSize, linkedEtag, revision, current);
                        }
                        continue;
                    }
                    if (!resp.isSuccessful()) throw HttpFailures.forStatus(resp.code(), url); // the URL asked for, not a signed hop
                    long size = linkedSize >= 0 ? linkedSize : parseLong(resp.header("Content-Length"));
                    String etag = linkedEtag != null ? linkedEtag : resp.header("ETag");
                    return remote(size, etag, revision, current);
                }
            }
        } catch (UrlPolicyInterceptor.RefusedUrlException e) {
            throw e.refusal;
        } catch (IOException e) {
            if (token.isCancelled()) throw new FetchException(Failure.CANCELLED, "cancelled");
            throw HttpFailures.network(url, e, 1);
        }
        throw new FetchException(Failure.DOWNLOAD_FAILED, "more than " + MAX_HOPS + " redirects for " + url,
                Details.of("url", url));
    }

    private static RemoteFile remote(long size, String etag, String revision, HttpUrl finalUrl) {
        return new RemoteFile(size, RemoteFile.sha256FromEtag(etag), etag, revision, finalUrl.toString());
    }

    private static long parseLong(String v) {
        if (v == null) return -1;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
