package io.llmcp.store;

import io.llmcp.failure.DomainException;
import java.util.Map;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resumable ingest (a download in progress), persisted in the store under a key such as
 * {@code modelId/path}. Bytes are cut into fixed-size chunks from offset 0, so the same file always yields the
 * same chunks. Full chunks go to the store (deduplicated) and are committed every few MiB; a kill loses at most
 * the uncommitted tail, and {@link #committedBytes()} after reopening is where a download resumes with Range.
 *
 * <p>Throughput: the caller's thread copies and computes the whole-file digest while one worker thread hashes
 * the previous chunk and writes it into MVStore, so the two SHA-256 passes and MVStore's serialisation and I/O
 * are split about evenly over two cores (measured: the caller computing both digests left it the bottleneck).
 *
 * <p>Not thread-safe: one thread drives an ingest. Always {@link #close()} it (try-with-resources); closing an
 * unfinished ingest keeps its committed progress for a later resume.
 */
public final class PartialBlob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartialBlob.class);

    private static final int MAX_IN_FLIGHT = 2;

    private final BlobStore store;
    private final String key;
    final PartialState state;
    /** Set under the store's monitor: progress not yet saved / the bytes the last commit made durable. */
    volatile boolean dirty;
    volatile long durableBytes;
    /** The opening of the store this ingest belongs to (set by the store; a reopened store refuses it). */
    volatile Object generation;

    private MessageDigest whole;
    private final MessageDigest chunkDigest = Hashes.sha256();
    private boolean prefixHashed;
    private long written;
    private byte[] tail = new byte[0];
    private int tailLen;
    private ExecutorService worker;
    /** Chunks handed to the worker and not yet stored, oldest first (only the caller's thread touches this). */
    private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
    /** Written and read only on the worker thread. */
    private boolean workerFailed;
    private boolean done;

    PartialBlob(BlobStore store, String key, PartialState state) {
        this.store = store;
        this.key = key;
        this.state = state;
        this.durableBytes = state.bytes();
        this.written = state.bytes();
        this.whole = Hashes.sha256();
        this.prefixHashed = state.chunks.isEmpty();
    }

    public String key() {
        return key;
    }

    /** Bytes that survive a kill: resume a download from here (a multiple of the chunk size). */
    public long committedBytes() {
        return durableBytes;
    }

    /** Bytes accepted so far, including the uncommitted tail. */
    public long bytesWritten() {
        return written;
    }

    public String sourceUrl() {
        return state.sourceUrl;
    }

    public String etag() {
        return state.etag;
    }

    public long expectedSize() {
        return state.expectedSize;
    }

    public int chunkSize() {
        return state.chunkSize;
    }

    /** Records where the bytes come from (persisted at once, so a resume can send If-Range with the ETag). */
    public void setSource(String url, String etag, long expectedSize) {
        ensureActive();
        state.sourceUrl = url;
        state.etag = etag;
        state.expectedSize = expectedSize;
        store.ingests().save(this);
    }

    /** Appends the buffer's remaining bytes. */
    public void write(ByteBuffer src) {
        ensureActive();
        ensurePrefixHashed();
        int n = src.remaining();
        while (src.hasRemaining()) {
            if (tailLen == tail.length) growTail();
            int k = Math.min(src.remaining(), tail.length - tailLen);
            src.get(tail, tailLen, k);
            tailLen += k;
            if (tailLen == state.chunkSize) flushFullChunk();
        }
        written += n;
    }

    /**
     * Small files never allocate a whole chunk; once a file has filled one chunk, the next starts at full size
     * (regrowing from 64 KiB for every chunk meant copying each chunk a second time).
     */
    private void growTail() {
        if (written + tailLen >= state.chunkSize) {
            tail = Arrays.copyOf(tail, state.chunkSize);
            return;
        }
        int size = (int) Math.min(state.chunkSize, Math.max(64 * 1024L, tail.length * 2L));
        tail = Arrays.copyOf(tail, size);
    }

    private void flushFullChunk() {
        byte[] chunk = tail;
        tail = new byte[0];
        tailLen = 0;
        whole.update(chunk);
        // Two chunks may wait for the worker: a commit makes it slow for one chunk in two, and without the slack
        // the caller would stall on every commit. Bounded, so memory stays a few chunks.
        while (inFlight.size() >= MAX_IN_FLIGHT) awaitOldest();
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "llmcp-ingest");
                t.setDaemon(true);
                return t;
            });
        }
        // The chunk's own hash is the worker's: only it uses chunkDigest, one chunk at a time.
        inFlight.add(worker.submit(() -> {
            // A chunk after a failed one must not be recorded: the blob's chunk list would have a hole.
            if (workerFailed) throw new IllegalStateException("an earlier chunk of '" + key + "' was not stored");
            try {
                store.ingests().appendChunk(this, chunkDigest.digest(chunk), chunk);
            } catch (RuntimeException | Error e) {
                workerFailed = true;
                throw e;
            }
        }));
    }

    /** Waits for every chunk handed to the worker; the first failure is rethrown once all have ended. */
    private void awaitPending() {
        RuntimeException first = null;
        while (!inFlight.isEmpty()) {
            try {
                awaitOldest();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    private void awaitOldest() {
        Future<?> f = inFlight.poll();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // never abandon a chunk half-way; MVStore work is short
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Completes the ingest: the whole-file SHA-256 (the committed prefix of a resumed ingest is re-read from the
     * store) and size are checked against the expectations (null / -1 = none). On a mismatch the data is removed
     * and VERIFY_FAILED is thrown; otherwise the blob is committed and fsynced. If the store already holds a blob
     * with this hash, the new copy costs nothing.
     */
    public BlobInfo finish(String expectedSha256OrNull, long expectedSizeOrMinus1) {
        ensureActive();
        ensurePrefixHashed();
        String expected = expectedSha256OrNull == null ? null : Hashes.normalize(expectedSha256OrNull, "sha256");
        awaitPending();
        byte[] lastBytes = null;
        byte[] lastHash = null;
        if (tailLen > 0) {
            lastBytes = Arrays.copyOf(tail, tailLen);
            whole.update(lastBytes);
            lastHash = Hashes.sha256().digest(lastBytes);
            tail = new byte[0];
            tailLen = 0;
        }
        String actual = Hashes.hex(whole.digest());
        String problem = null;
        if (expectedSizeOrMinus1 >= 0 && written != expectedSizeOrMinus1) {
            problem = "size is " + written + " bytes, expected " + expectedSizeOrMinus1;
        } else if (expected != null && !expected.equals(actual)) {
            problem = "SHA-256 is " + actual + ", expected " + expected;
        }
        try {
            if (problem != null) {
                store.ingests().drop(this, false);
                Map<String, Object> data = Details.of("key", key, "actualSha256", actual, "actualSize", written);
                if (expected != null) data.put("expectedSha256", expected);
                if (expectedSizeOrMinus1 >= 0) data.put("expectedSize", expectedSizeOrMinus1);
                throw new StoreException(Failure.VERIFY_FAILED,
                        "verification of '" + key + "' failed: " + problem + "; the bad data was removed", data);
            }
            return store.ingests().complete(this, actual, written, lastHash, lastBytes);
        } finally {
            done = true;
            stopWorker();
            store.ingests().forget(this); // no-op after success; after a failure the key must not stay "running"
        }
    }

    /** The server ignored Range: forget everything and start again from byte 0 (keeps the source). */
    public void restart() {
        ensureActive();
        awaitPending();
        store.ingests().drop(this, true);
        whole = Hashes.sha256();
        prefixHashed = true;
        written = 0;
        tail = new byte[0];
        tailLen = 0;
        durableBytes = 0;
    }

    /** Gives up: removes the progress and frees its chunks. */
    public void discard() {
        if (done) return;
        try {
            awaitPending();
        } catch (RuntimeException e) {
            log.debug("pending chunk of {} failed while discarding: {}", key, e.toString());
        }
        done = true;
        stopWorker();
        try {
            store.ingests().drop(this, false);
        } finally {
            store.ingests().forget(this);
        }
    }

    /** Ends this session; committed progress stays for a resume, the uncommitted tail is dropped. */
    @Override
    public void close() {
        if (done) return;
        done = true;
        try {
            awaitPending();
        } catch (RuntimeException e) {
            log.warn("last chunk of {} was not stored: {}", key, e.toString());
        }
        stopWorker();
        store.ingests().close(this);
    }

    /** The store is closing under us (host shutdown): stop without further store calls. */
    void abandon() {
        if (done) return;
        try {
            awaitPending();
        } catch (RuntimeException e) {
            log.debug("pending chunk of {} failed at shutdown: {}", key, e.toString());
        }
        done = true;
        stopWorker();
    }

    private void stopWorker() {
        if (worker != null) worker.shutdown(); // never shutdownNow: an interrupt closes MVStore's FileChannel
    }

    private void ensureActive() {
        if (done) throw new IllegalStateException("ingest of '" + key + "' is already finished or closed");
    }

    /** After a resume the whole-file digest must cover the committed prefix; it is re-read from the store. */
    private void ensurePrefixHashed() {
        if (prefixHashed) return;
        try {
            for (byte[] h : state.chunks) whole.update(store.chunkBytes(h));
            prefixHashed = true;
        } catch (DomainException e) {
            if (e.failure() != Failure.STORE_CORRUPT) throw e; // disk full, store unavailable: not a reason to start over
            log.warn("resumed ingest {} lost committed chunks ({}); starting it again", key, e.getMessage());
            restart();
        }
    }
}
