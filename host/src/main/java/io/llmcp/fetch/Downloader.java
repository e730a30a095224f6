package io.llmcp.fetch;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.CancellationToken;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file into a {@link DownloadTarget}: resumes from what the target holds ({@code Range} guarded by
 * {@code If-Range}), starts over cleanly when the server ignores the range or the file changed, retries dropped
 * connections with backoff, and verifies size and SHA-256 at the end. Big files may come as parallel ranged
 * parts ({@link ParallelParts}). One instance per process: it owns the shared OkHttpClient.
 */
public final class Downloader implements AutoCloseable {
    static final Logger log = LoggerFactory.getLogger(Downloader.class);
    private static final int READ_BUFFER = 256 << 10;
    private static final long MAX_WRITE_DELAY_NANOS = 100_000_000L;

    private final FetchSettings settings;
    private final UrlPolicy policy;
    private final OkHttpClient client;
    private final ExecutorService partWorkers;
    private final ParallelParts parallel;
    private final HeadProbe head;
    private final AuthInterceptor auth;

    public Downloader(FetchSettings settings) {
        this(settings, new UrlPolicy(settings.allowHttpHosts()));
    }

    Downloader(FetchSettings settings, UrlPolicy policy) {
        this.settings = settings;
        this.policy = policy;
        RateLimiter limiter = settings.rateLimitBytesPerSecond() > 0 ? new RateLimiter(settings.rateLimitBytesPerSecond()) : null;
        this.auth = new AuthInterceptor(settings.token(), settings.tokenHosts());
        this.client = FetchClient.build(settings, policy, limiter, auth);
        AtomicInteger n = new AtomicInteger();
        this.partWorkers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "llmcp-fetch-part-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.parallel = new ParallelParts(client, settings, partWorkers);
        this.head = new HeadProbe(client, policy);
    }

    /** A downloader configured by the {@code "fetch"} section of config.json. */
    public static Downloader fromConfig(HostConfig config) {
        return new Downloader(FetchSettings.from(config.section("fetch"), System.getenv()));
    }

    /**
     * Uses {@code token} (null: none) from the next request on, still only towards {@code fetch.tokenHosts}: the
     * panel's token field takes effect without restarting the engine and its downloads.
     */
    public void setToken(String token) {
        auth.setToken(token == null || token.isBlank() ? null : token.trim());
    }

    public FetchSettings settings() {
        return settings;
    }

    public UrlPolicy policy() {
        return policy;
    }

    /** The shared client (same interceptors), e.g. for a plain-download baseline. */
    public OkHttpClient client() {
        return client;
    }

    /** Asks the server about a file without fetching it (HEAD; see {@link HeadProbe}). */
    public RemoteFile head(String url, CancellationToken token) {
        return head.probe(url, token == null ? CancellationToken.none() : token);
    }

    /**
     * Downloads {@code req} into {@code target} and verifies it. Ends with the verified file, or an FetchException
     * (cancel: {@code -32800}; the bytes received so far stay in the target for a resume).
     */
    public DownloadResult download(DownloadRequest req, DownloadTarget target, ProgressListener listener, CancellationToken token) {
        CancellationToken cancel = token == null ? CancellationToken.none() : token;
        ProgressReporter progress = new ProgressReporter(req.path(), listener);
        try {
            HttpUrl url = policy.check(req.url());
            Transfer t = new Transfer(req, url, target, progress, cancel);
            progress.total(req.expectedSize());
            progress.bytes(target.committedBytes());
            progress.state(DownloadState.DOWNLOADING);
            boolean done = wantsParallel(req, url, target) && parallel.fetch(t);
            if (!done) oneStream(t);
            progress.state(DownloadState.VERIFYING);
            long expectedSize = req.expectedSize() >= 0 ? req.expectedSize() : t.total;
            DownloadTarget.FinishedFile f = target.finish(req.expectedSha256(), expectedSize);
            progress.bytes(f.size());
            progress.state(DownloadState.DONE);
            return new DownloadResult(req.path(), f.sha256(), f.size(), t.downloaded, target.etag(), t.finalUrl);
        } catch (DomainException e) {
            return fail(e, target, progress, cancel);
        } catch (IOException e) {
            return fail(HttpFailures.storage(req.url(), e), target, progress, cancel);
        } catch (RuntimeException e) {
            // a bug, not a download problem: still end the file's progress with "failed" and keep its bytes
            return fail(new FetchException(Failure.INTERNAL, "download of " + req.path() + " failed: " + e, null, e),
                    target, progress, cancel);
        }
    }

    private DownloadResult fail(DomainException e, DownloadTarget target, ProgressReporter progress, CancellationToken token) {
        try {
            target.checkpoint();
        } catch (IOException | RuntimeException ignored) {
            // the target may already be discarded (verify failure); nothing more to keep
        }
        if (e.failure() == Failure.CANCELLED || token.isCancelled()) {
            progress.state(DownloadState.CANCELLED);
            throw e.failure() == Failure.CANCELLED ? e : new FetchException(Failure.CANCELLED, "cancelled");
        }
        progress.failed(e);
        throw e;
    }

    /**
     * Parts pay where one connection is capped (CDNs, long round trips: 2.8x measured with a 50 MB/s cap per
     * connection); from a server on this machine they only compete for the same cores, so one stream there.
     */
    private boolean wantsParallel(DownloadRequest req, HttpUrl url, DownloadTarget target) {
        return settings.parallelParts() > 1 && req.expectedSize() >= settings.parallelMinBytes()
                && (settings.parallelOnLoopback() || !UrlPolicy.isLoopback(url.host()))
                && req.expectedSize() - target.committedBytes() >= 2L * settings.partBytes();
    }

    /** One GET to the end of the file, re-sent from the target's offset after each drop. */
    private void oneStream(Transfer t) {
        ByteBuffer buf = ByteBuffer.allocateDirect(READ_BUFFER);
        int failures = 0;
        int restarts = 0;
        while (true) {
            t.token.throwIfCancelled();
            long offset = t.target.committedBytes();
            if (t.confirmed && t.total >= 0 && offset >= t.total) return;
            Call call = t.track(client.newCall(t.request(offset, -1)));
            try (Response resp = call.execute()) {
                Outcome o = adopt(t, resp, offset);
                if (o == Outcome.COMPLETE) return;
                if (o == Outcome.RESTARTED) {
                    if (++restarts > 3) throw new FetchException(Failure.DOWNLOAD_FAILED, t.req.path()
                            + ": the server keeps answering ranges inconsistently", Details.of("url", t.req.url()));
                    continue;
                }
                drain(t, resp.body().source(), buf);
                long now = t.target.committedBytes();
                if (t.total >= 0 && now < t.total) {
                    throw new EOFException("connection closed after byte " + now + " of " + t.total);
                }
                return;
            } catch (UrlPolicyInterceptor.RefusedUrlException e) {
                throw e.refusal;
            } catch (IOException e) {
                if (t.token.isCancelled()) throw new FetchException(Failure.CANCELLED, "cancelled");
                if (t.target.committedBytes() > offset) failures = 0;
                if (++failures > settings.maxRetries()) throw HttpFailures.network(t.req.url(), e, failures);
                log.info("{}: {} at byte {}; resuming (attempt {}/{})", t.req.path(), e.toString(),
                        t.target.committedBytes(), failures, settings.maxRetries());
                try {
                    Backoff.sleep(settings.retryBaseDelay(), failures - 1, t.token::isCancelled);
                } catch (IOException interrupted) {
                    throw new FetchException(Failure.CANCELLED, "cancelled");
                }
            }
        }
    }

    private enum Outcome { STREAM, COMPLETE, RESTARTED }

    /** Decides what a response means for the bytes the target holds. */
    private Outcome adopt(Transfer t, Response resp, long offset) {
        int code = resp.code();
        if (code == 416 && offset > 0) {
            // We asked for bytes past the end: the target may already hold the whole file.
            ContentRange cr = ContentRange.parse(resp.header("Content-Range"));
            if (cr != null && cr.total() == offset && (t.req.expectedSize() < 0 || t.req.expectedSize() == offset)) {
                t.total = offset;
                t.confirmed = true;
                return Outcome.COMPLETE;
            }
            t.restart("the server cannot serve byte " + offset + " (HTTP 416)");
            return Outcome.RESTARTED;
        }
        if (code != 200 && code != 206) throw HttpFailures.forStatus(code, t.req.url());
        t.finalUrl = resp.request().url().toString();
        String etag = resp.header("ETag");
        long serverTotal;
        if (code == 206) {
            ContentRange cr = ContentRange.parse(resp.header("Content-Range"));
            if (cr == null || cr.first() != offset) {
                t.restart("the server answered a different range (" + resp.header("Content-Range") + ")");
                return Outcome.RESTARTED;
            }
            String held = t.target.etag();
            if (Transfer.isStrong(held) && etag != null && !held.equals(etag)) {
                t.restart("the file's ETag changed from " + held + " to " + etag);
                return Outcome.RESTARTED;
            }
            serverTotal = cr.total();
        } else {
            if (offset > 0) t.restart("the server sent the whole file to a ranged request (range ignored or file changed)");
            serverTotal = resp.body().contentLength();
        }
        t.checkAnnouncedSize(serverTotal);
        if (serverTotal >= 0) t.total = serverTotal;
        t.progress.total(t.total);
        if (code == 200 || t.target.etag() == null || !Objects.equals(t.target.etag(), etag)) t.recordSource(etag, t.total);
        t.confirmed = true;
        return Outcome.STREAM;
    }

    /**
     * Copies the body into the target in large writes (okio hands out 8 KiB at a time, too small for a store),
     * but at least every {@link #MAX_WRITE_DELAY_NANOS} so a slow link still shows progress. What arrived
     * before a drop or a cancel is still written.
     */
    private static void drain(Transfer t, BufferedSource source, ByteBuffer buf) throws IOException {
        while (true) {
            buf.clear();
            boolean eof = false;
            long started = System.nanoTime();
            try {
                while (buf.hasRemaining()) {
                    if (source.read(buf) < 0) {
                        eof = true;
                        break;
                    }
                    if (System.nanoTime() - started >= MAX_WRITE_DELAY_NANOS) break;
                }
            } finally {
                buf.flip();
                if (buf.hasRemaining()) t.write(buf);
            }
            if (eof) return;
            t.token.throwIfCancelled();
        }
    }

    @Override
    public void close() {
        partWorkers.shutdownNow();
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
