package io.llmcp.store;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** The read side of {@link BlobStore}: filling callers' buffers and re-verifying blobs. Lock-free, like MVStore reads. */
final class BlobReads {
    /** One helper thread per JVM for {@link #readInto}; daemon, never interrupted (that would close MVStore's channel). */
    private static final ExecutorService HELPER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "llmcp-store-reader");
        t.setDaemon(true);
        return t;
    });

    private BlobReads() {
    }

    /**
     * Large blobs are read by two threads, odd and even chunks: each chunk costs a page read plus two copies, and
     * MVStore reads are lock-free, so on two cores this nearly halves the time to load a model.
     */
    static void readInto(BlobStore store, Manifest m, ByteBuffer dst) {
        if (dst.remaining() < m.size()) {
            throw new IllegalArgumentException("buffer has " + dst.remaining() + " bytes left, blob needs " + m.size());
        }
        int base = dst.position();
        int n = m.chunks().size();
        if (n < 4) {
            for (byte[] h : m.chunks()) dst.put(store.chunkBytes(h));
            return;
        }
        CompletableFuture<Void> odd = CompletableFuture.runAsync(() -> copyChunks(store, m, 1, dst.duplicate(), base), HELPER);
        try {
            copyChunks(store, m, 0, dst.duplicate(), base);
        } finally {
            join(odd); // never leave the helper writing into a buffer the caller may free
        }
        dst.position(base + (int) m.size());
    }

    /**
     * {@link #readInto} plus a check of the whole-file SHA-256, overlapped: the helper thread copies chunks in
     * order while the caller hashes the ones already copied, so a verified load costs little more than a plain one.
     */
    static void readIntoVerified(BlobStore store, String sha, Manifest m, ByteBuffer dst) {
        if (dst.remaining() < m.size()) {
            throw new IllegalArgumentException("buffer has " + dst.remaining() + " bytes left, blob needs " + m.size());
        }
        int base = dst.position();
        int n = m.chunks().size();
        AtomicInteger copied = new AtomicInteger();
        CompletableFuture<Void> copier = CompletableFuture.runAsync(() -> {
            ByteBuffer d = dst.duplicate();
            for (int i = 0; i < n; i++) {
                d.position(base + i * m.chunkSize());
                d.put(store.chunkBytes(m.chunks().get(i)));
                copied.set(i + 1); // volatile write: the bytes above are visible to the hashing thread
            }
        }, HELPER);
        MessageDigest md = Hashes.sha256();
        for (int hashed = 0; hashed < n; hashed++) {
            while (copied.get() <= hashed) {
                if (copier.isDone()) join(copier); // rethrows the copier's failure
                LockSupport.parkNanos(20_000);
            }
            int from = base + hashed * m.chunkSize();
            md.update(dst.duplicate().position(from).limit(from + m.chunkLength(hashed)));
        }
        join(copier);
        String actual = Hashes.hex(md.digest());
        if (!actual.equals(sha)) {
            throw new StoreException(Failure.STORE_CORRUPT, "blob " + sha + " read back as " + actual
                    + "; verify the model (llmcp verify) and pull it again", Details.of("sha256", sha));
        }
        dst.position(base + (int) m.size());
    }

    /** Waits for the helper; its failure (e.g. STORE_CORRUPT) is rethrown as it was thrown, not wrapped. */
    private static void join(CompletableFuture<Void> f) {
        try {
            f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }

    private static void copyChunks(BlobStore store, Manifest m, int first, ByteBuffer dst, int base) {
        for (int i = first; i < m.chunks().size(); i += 2) {
            dst.position(base + i * m.chunkSize());
            dst.put(store.chunkBytes(m.chunks().get(i)));
        }
    }

    static void readRange(BlobStore store, Manifest m, long offset, ByteBuffer dst) {
        if (offset < 0 || offset + dst.remaining() > m.size()) {
            throw new IllegalArgumentException("range " + offset + "+" + dst.remaining() + " is outside the blob (" + m.size() + " bytes)");
        }
        int i = (int) (offset / m.chunkSize());
        int within = (int) (offset % m.chunkSize());
        while (dst.hasRemaining()) {
            ByteBuffer b = store.chunkBytes(m.chunks().get(i++));
            int n = Math.min(dst.remaining(), b.remaining() - within);
            dst.put(b.position(within).limit(within + n));
            within = 0;
        }
    }

    /** Null when every chunk matches its hash and length and the whole matches {@code sha}; else the problem. */
    static String verify(BlobStore store, String sha, Manifest m) {
        MessageDigest whole = Hashes.sha256();
        long size = 0;
        for (int i = 0; i < m.chunks().size(); i++) {
            ByteBuffer bytes;
            try {
                bytes = store.chunkBytes(m.chunks().get(i));
            } catch (DomainException e) {
                return "chunk " + i + " of " + m.chunks().size() + ": " + e.getMessage();
            }
            int len = bytes.remaining(); // chunkBytes checked the chunk's SHA-256
            if (len != m.chunkLength(i)) return "chunk " + i + " has the wrong length";
            whole.update(bytes);
            size += len;
        }
        if (size != m.size()) return "size is " + size + ", manifest says " + m.size();
        String actual = Hashes.hex(whole.digest());
        return actual.equals(sha) ? null : "content hashes to " + actual;
    }
}
