package io.llmcp.fetch;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * Fetches a big file as ranged parts, several in flight, and writes them to the (strictly sequential) target
 * in order. Each part is read whole into a pooled buffer of {@code partBytes}, and at most {@code parallelParts}
 * are in flight, so memory stays at about (parallelParts + 1) × partBytes per file however big the file.
 * A part that breaks off is fetched again (bounded, with backoff); a server that does not honour ranges makes
 * this return false and the caller falls back to one stream.
 */
final class ParallelParts {
    private final OkHttpClient client;
    private final FetchSettings settings;
    private final ExecutorService workers;

    ParallelParts(OkHttpClient client, FetchSettings settings, ExecutorService workers) {
        this.client = client;
        this.settings = settings;
        this.workers = workers;
    }

    /** Returns true when the whole file was written; false when ranges do not work here (nothing lost). */
    boolean fetch(Transfer t) {
        long total = t.req.expectedSize();
        int partBytes = settings.partBytes();
        Batch batch = new Batch(settings.parallelParts() + 1);
        Deque<Future<Part>> inFlight = new ArrayDeque<>();
        try {
            // The first part alone: its answer tells whether ranges work and which ETag the others must match.
            long next = t.target.committedBytes();
            Part first = fetchPart(t, next, Math.min(next + partBytes, total) - 1, total, batch, true);
            next += first.length;
            writePart(t, first, batch.pool);
            while (true) {
                while (inFlight.size() < settings.parallelParts() && next < total) {
                    long from = next;
                    long to = Math.min(next + partBytes, total) - 1;
                    inFlight.add(workers.submit(() -> fetchPart(t, from, to, total, batch, false)));
                    next = to + 1;
                }
                Future<Part> f = inFlight.poll();
                if (f == null) break;
                writePart(t, await(f, t), batch.pool);
                t.token.throwIfCancelled();
            }
            t.total = total;
            t.confirmed = true;
            return true;
        } catch (RangesUnsupported e) {
            Downloader.log.info("{}: {}; falling back to one stream", t.req.path(), e.getMessage());
            return false;
        } finally {
            // On success nothing is left; on failure stop the parts still in flight (they must not retry on).
            batch.aborted = true;
            for (Future<Part> f : inFlight) f.cancel(false);
            for (Call c : batch.live) c.cancel();
        }
    }

    private record Part(long from, byte[] buffer, int length) {
    }

    /** What the parts of one file share: the buffer pool, the calls in flight, and whether the file gave up. */
    private static final class Batch {
        final ArrayBlockingQueue<byte[]> pool;
        final Set<Call> live = ConcurrentHashMap.newKeySet();
        volatile boolean aborted;

        Batch(int buffers) {
            pool = new ArrayBlockingQueue<>(buffers);
        }
    }

    private static void writePart(Transfer t, Part p, ArrayBlockingQueue<byte[]> pool) {
        if (t.target.committedBytes() != p.from) {
            throw new IllegalStateException("part at " + p.from + " but the target holds " + t.target.committedBytes());
        }
        t.write(ByteBuffer.wrap(p.buffer, 0, p.length));
        pool.offer(p.buffer);
    }

    private static Part await(Future<Part> f, Transfer t) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Failure.CANCELLED, "cancelled");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RangesUnsupported r) throw r;
            if (c instanceof DomainException r) throw r;
            if (t.token.isCancelled()) throw new FetchException(Failure.CANCELLED, "cancelled");
            throw new IllegalStateException(c);
        }
    }

    /** One part, retried on drops; throws RangesUnsupported when the answer is not exactly that range. */
    private Part fetchPart(Transfer t, long from, long to, long total, Batch batch, boolean first) {
        int length = (int) (to - from + 1);
        int failures = 0;
        while (true) {
            t.token.throwIfCancelled();
            if (batch.aborted) throw new FetchException(Failure.CANCELLED, "cancelled");
            Call call = t.track(client.newCall(t.request(from, to)));
            batch.live.add(call);
            if (batch.aborted) call.cancel();
            byte[] buffer = null;
            try (Response resp = call.execute()) {
                if (resp.code() == 200 || resp.code() == 416) throw new RangesUnsupported("HTTP " + resp.code() + " to a ranged request");
                if (resp.code() != 206) throw HttpFailures.forStatus(resp.code(), t.req.url());
                ContentRange cr = ContentRange.parse(resp.header("Content-Range"));
                if (cr == null || cr.first() != from || cr.last() != to) {
                    throw new RangesUnsupported("the server answered range " + resp.header("Content-Range"));
                }
                if (first) {
                    t.checkAnnouncedSize(cr.total());
                } else if (cr.total() != total) {
                    // never discard from a worker thread while the writer appends; let one stream sort it out
                    throw new RangesUnsupported("the file's size changed between parts");
                }
                String etag = resp.header("ETag");
                String held = t.target.etag();
                if (first) {
                    if (!Transfer.isStrong(held) || !held.equals(etag)) {
                        if (!Transfer.isStrong(etag)) throw new RangesUnsupported("no strong ETag to keep parts consistent");
                        if (from > 0) throw new RangesUnsupported("the held bytes have no matching ETag");
                        t.recordSource(etag, total);
                    }
                    t.finalUrl = resp.request().url().toString();
                } else if (etag != null && !etag.equals(held)) {
                    throw new RangesUnsupported("the ETag changed between parts");
                }
                buffer = batch.pool.poll();
                if (buffer == null || buffer.length < length) buffer = new byte[settings.partBytes()];
                readFully(resp.body().source(), buffer, length);
                return new Part(from, buffer, length);
            } catch (UrlPolicyInterceptor.RefusedUrlException e) {
                throw e.refusal;
            } catch (IOException e) {
                if (buffer != null) batch.pool.offer(buffer);
                if (t.token.isCancelled() || batch.aborted) throw new FetchException(Failure.CANCELLED, "cancelled");
                if (++failures > settings.maxRetries()) throw HttpFailures.network(t.req.url(), e, failures);
                Downloader.log.info("{}: part {}-{}: {}; retry {}/{}", t.req.path(), from, to, e.toString(), failures, settings.maxRetries());
                try {
                    Backoff.sleep(settings.retryBaseDelay(), failures - 1, t.token::isCancelled);
                } catch (IOException interrupted) {
                    throw new FetchException(Failure.CANCELLED, "cancelled");
                }
            } finally {
                batch.live.remove(call);
            }
        }
    }

    private static void readFully(BufferedSource source, byte[] buffer, int length) throws IOException {
        int off = 0;
        while (off < length) {
            int n = source.read(buffer, off, length - off);
            if (n < 0) throw new java.io.EOFException("part ended after " + off + " of " + length + " bytes");
            off += n;
        }
    }

    /** Ranges do not work with this server or file: the caller falls back to one stream. */
    static final class RangesUnsupported extends RuntimeException {
        RangesUnsupported(String message) {
            super(message, null, false, false);
        }
    }
}
