package io.llmcp.store;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.StringDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed blob cache: one MVStore file holding model files as 4 MiB chunks, found by their
 * SHA-256, stored once however many blobs use them.
 *
 * <p>Maps: the chunks with their reference counts ({@link ChunkTable}, the "seqpad" layout of
 * docs/STORE.md); {@code manifests}, a blob's hex SHA-256 → {@link Manifest}; {@code partials}, the
 * resumable ingests. Writes take this object's monitor; reads are lock-free.
 *
 * <p>One instance per file per JVM ({@link StoreLock}); the host opens it once through {@link Stores#open} (the composition root, {@code io.llmcp.host.Host}).
 */
public final class BlobStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlobStore.class);
    static final String PUT_PREFIX = "~put/";

    private final Path file;
    private final StoreOptions options;
    private final StoreLock lock;
    private final Map<String, PartialBlob> openPartials = new HashMap<>();
    private final StoreMaintenance maintenance;
    private final Ingests ingests = new Ingests(this);
    /** The open MVStore and its maps; replaced when MVStore closed itself after a failed write (see {@link #gen}). */
    private volatile OpenStore gen;
    /** Why the last MVStore closed itself (null when it never did): what requests hear until it reopens. */
    private volatile StoreException failure;
    private volatile boolean closed;

    private BlobStore(Path file, StoreOptions options, StoreLock lock) {
        this.file = file;
        this.options = options;
        this.lock = lock;
        MVStore mv = MvStores.open(file, options, lock);
        try {
            gen = new OpenStore(mv, options);
        } catch (RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
        lock.recordHolder();
        io.llmcp.app.DataDir.privateFile(file); // model weights and the extension's data: the user's alone
        maintenance = new StoreMaintenance(this);
    }

    /**
     * The open store. A failed write (disk full, an I/O error) makes MVStore close itself; the file keeps the last
     * commit, so the next use reopens it there instead of answering "store is closed" until a restart. Ingests that
     * were running end (their uncommitted chunks are gone; a new pull resumes from the committed prefix). When the
     * file cannot be reopened the caller gets why: STORE_UNAVAILABLE, or DISK_FULL when that is the cause.
     */
    OpenStore gen() {
        OpenStore g = gen;
        if (!g.mv.isClosed()) return g;
        return reopen(g);
    }

    private synchronized OpenStore reopen(OpenStore dead) {
        if (gen != dead) return gen;
        if (closed) throw new StoreException(Failure.STORE_UNAVAILABLE, "the model store " + file + " is closed (the host is stopping)");
        openPartials.clear(); // their PartialBlobs belong to the dead store: checkOpen refuses them from now on
        StoreException why = failure;
        try {
            gen = new OpenStore(MvStores.open(file, options, lock), options);
        } catch (DomainException e) {
            String reason = why == null ? "" : " after: " + why.getMessage();
            throw new StoreException(e.failure() == Failure.DISK_FULL ? Failure.DISK_FULL : Failure.STORE_UNAVAILABLE,
                    "the model store closed itself" + reason + "; reopening it failed: " + e.getMessage(),
                    Details.of("file", file.toString()), e);
        } catch (MVStoreException e) {
            throw MvStores.failure(file, e);
        }
        log.warn("reopened the model store {} at its last commit{}", file, why == null ? "" : " (it had closed after: " + why.getMessage() + ")");
        return gen;
    }

    /** Maps MVStore's failure into the protocol's terms and remembers it when it closed the store. */
    StoreException failed(MVStoreException e) {
        StoreException r = MvStores.failure(file, e);
        if (gen.mv.isClosed()) failure = r;
        return r;
    }

    /**
     * Opens (creating when absent) the store at {@code file}. Throws {@link StoreException} with
     * {@link Failure#STORE_UNAVAILABLE} when another process holds it (message and {@code data.pid} name the
     * holder) or when it is already open in this JVM.
     */
    public static BlobStore open(Path file, StoreOptions options) {
        Path canonical = StoreLock.canonical(file);
        StoreLock lock = StoreLock.claim(canonical);
        try {
            return new BlobStore(canonical, options, lock);
        } catch (RuntimeException e) {
            lock.release(false);
            throw e;
        }
    }

    /**
     * The store's version: it moves with every commit, and writes not yet committed count as a step ahead. A path
     * that must not write (a warm inference request) can be checked against it.
     */
    public synchronized long version() {
        MVStore mv = gen.mv;
        return mv.getCurrentVersion() + (mv.hasUnsavedChanges() ? 1 : 0);
    }

    public Path file() {
        return file;
    }

    public StoreOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- blobs

    public Optional<BlobInfo> findBlob(String sha256) {
        String sha = Hashes.normalize(sha256, "sha256");
        byte[] m = read(gen().manifests, sha);
        return m == null ? Optional.empty() : Optional.of(Manifest.decode(m).info(sha));
    }

    public List<BlobInfo> listBlobs() {
        List<BlobInfo> out = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> e : gen().manifests.entrySet()) out.add(Manifest.decode(e.getValue()).info(e.getKey()));
        } catch (MVStoreException e) {
            throw failed(e);
        }
        return out;
    }

    public long blobSize(String sha256) {
        return manifest(sha256).size();
    }

    /** Streams the blob; one chunk at a time is on the heap. */
    public InputStream openBlob(String sha256) {
        return new BlobInputStream(this, manifest(sha256));
    }

    /**
     * Copies the whole blob into {@code dst} (typically direct, e.g. for an ONNX session) at its position and
     * advances it; large blobs are fetched by two threads.
     */
    public void readInto(String sha256, ByteBuffer dst) {
        BlobReads.readInto(this, manifest(sha256), dst);
    }

    /**
     * {@link #readInto} that also checks the whole-file SHA-256 (hashing overlaps the copying); STORE_CORRUPT on
     * a mismatch. What a model load that trusts nothing should call.
     */
    public void readIntoVerified(String sha256, ByteBuffer dst) {
        String sha = Hashes.normalize(sha256, "sha256");
        BlobReads.readIntoVerified(this, sha, manifest(sha), dst);
    }

    /**
     * Copies {@code dst.remaining()} bytes of the blob starting at {@code offset} into {@code dst}: for blobs
     * larger than one buffer (over 2 GiB) or for reading a window.
     */
    public void readRange(String sha256, long offset, ByteBuffer dst) {
        BlobReads.readRange(this, manifest(sha256), offset, dst);
    }

    /** Re-reads and re-hashes a blob; returns null when intact, else what is wrong. */
    public String verifyBlob(String sha256) {
        String sha = Hashes.normalize(sha256, "sha256");
        byte[] raw = read(gen().manifests, sha);
        return raw == null ? "blob " + sha + " is missing" : BlobReads.verify(this, sha, Manifest.decode(raw));
    }

    /** Removes a blob and frees the chunks no other blob or partial uses; returns the bytes freed. */
    public synchronized long deleteBlob(String sha256) {
        String sha = Hashes.normalize(sha256, "sha256");
        try {
            byte[] raw = gen().manifests.remove(sha);
            if (raw == null) return 0;
            long freed = 0;
            // manifest first, references after: a kill in between leaves refs too high, which gc repairs
            for (byte[] h : Manifest.decode(raw).chunks()) freed += releaseChunk(h);
            commit();
            gen.mv.sync();
            return freed;
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    /** Stores a whole stream as one blob (no resume); used for small files and tests. */
    public BlobInfo put(InputStream in, String sourceUrl) throws IOException {
        PartialBlob p = openPartial(PUT_PREFIX + UUID.randomUUID());
        try {
            p.setSource(sourceUrl, null, -1);
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) >= 0; ) p.write(ByteBuffer.wrap(buf, 0, n));
            return p.finish(null, -1);
        } catch (IOException | RuntimeException | Error e) {
            p.discard();
            throw e;
        }
    }

    // ---------------------------------------------------------------- partial ingests (see Ingests)

    /**
     * The resumable ingest named {@code key} (e.g. {@code modelId/path}): new, or continuing from what the
     * last run committed. One open instance per key; a second open while one is running fails with BUSY.
     */
    public PartialBlob openPartial(String key) {
        return ingests.open(key);
    }

    /** Keys of the unfinished ingests kept in the store. */
    public List<String> partialKeys() {
        return ingests.keys();
    }

    /** Drops the stored progress of {@code key} unless an ingest of it is running; true when something was dropped. */
    public boolean discardPartial(String key) {
        return ingests.discard(key);
    }

    Ingests ingests() {
        return ingests;
    }

    // ---------------------------------------------------------------- chunks (writers hold the monitor)

    void addChunk(byte[] hash, byte[] bytes) {
        gen().chunks.add(hash, bytes);
    }

    long releaseChunk(byte[] hash) {
        return gen().chunks.release(hash);
    }

    long freeChunk(byte[] hash, ChunkRef r) {
        return gen().chunks.free(hash, r);
    }

    /**
     * A chunk's bytes, checked against its SHA-256 (its key) on every read: MVStore checksums page headers, not
     * page contents, so a flipped bit in the file would otherwise reach a model load unnoticed. Hashing costs about
     * 1 s per 1.2 GB on one core, and the large reads run on two threads. STORE_CORRUPT names the chunk.
     */
    ByteBuffer chunkBytes(byte[] hash) {
        ByteBuffer b;
        try {
            b = gen().chunks.bytes(hash);
        } catch (MVStoreException e) {
            throw failed(e);
        }
        MessageDigest md = Hashes.sha256();
        md.update(b.duplicate());
        if (!MessageDigest.isEqual(md.digest(), hash)) {
            throw new StoreException(Failure.STORE_CORRUPT, "chunk " + Hashes.hex(hash) + " does not match its SHA-256: the store file "
                    + file + " is damaged", Details.of("chunk", Hashes.hex(hash), "file", file.toString()));
        }
        return b;
    }

    /** Commits everything, with the progress of every open ingest. Callers hold the monitor. */
    void commit() {
        OpenStore g = gen();
        try {
            for (PartialBlob p : openPartials.values()) {
                if (p.dirty) {
                    g.partials.put(p.key(), p.state.encode());
                    p.dirty = false;
                }
            }
            g.mv.commit();
        } catch (MVStoreException e) {
            throw failed(e);
        }
        g.chunks.unsavedBytes = 0;
        for (PartialBlob p : openPartials.values()) p.durableBytes = p.state.bytes();
    }

    // ---------------------------------------------------------------- small maps

    /** A string map in this store for other packages' records (the model registry); write it in {@link #write}. */
    public MVMap<String, String> stringMap(String name) {
        return gen().mv.openMap(name, new MVMap.Builder<String, String>().keyType(StringDataType.INSTANCE).valueType(StringDataType.INSTANCE));
    }

    /** Runs {@code work} under the store's write monitor and commits (and fsyncs) what it changed. */
    public synchronized <T> T write(Supplier<T> work) {
        try {
            T result = work.get();
            commit();
            gen.mv.sync();
            return result;
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    // ---------------------------------------------------------------- maintenance

    public StoreStats stats() {
        try {
            return maintenance.stats();
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    /**
     * Removes what nothing uses: temp ingests of {@link #put} that were interrupted, blobs outside
     * {@code liveBlobs} older than {@code graceMillis} (null = keep every blob), and chunks no blob or partial
     * references; repairs reference counts left too high by a kill.
     */
    public GcResult gc(java.util.Set<String> liveBlobs, long graceMillis) {
        try {
            return maintenance.gc(liveBlobs, graceMillis);
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    /** Moves chunks into freed space and truncates the file ({@code compactMoveChunks}). */
    public CompactResult compact() {
        try {
            return maintenance.compact();
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    // package access for StoreMaintenance
    MVStore mv() {
        return gen().mv;
    }

    MVMap<byte[], byte[]> index() {
        return gen().chunks.index();
    }

    MVMap<String, byte[]> manifests() {
        return gen().manifests;
    }

    MVMap<String, byte[]> partials() {
        return gen().partials;
    }

    /** The chunk table, for tests. */
    ChunkTable chunkTable() {
        return gen().chunks;
    }

    <K> byte[] read(MVMap<K, byte[]> map, K key) {
        try {
            return map.get(key);
        } catch (MVStoreException e) {
            throw failed(e);
        }
    }

    Map<String, PartialBlob> openPartials() {
        return openPartials;
    }

    /** The opening in use now, without reopening: what an ingest's generation is compared with. */
    OpenStore current() {
        return gen;
    }

    /** Why MVStore last closed itself, or null. */
    StoreException lastFailure() {
        return failure;
    }

    private Manifest manifest(String sha256) {
        String sha = Hashes.normalize(sha256, "sha256");
        byte[] m = read(gen().manifests, sha);
        if (m == null) throw new StoreException(Failure.NOT_FOUND, "blob " + sha + " is not in the store");
        return Manifest.decode(m);
    }

    @Override
    public void close() {
        List<PartialBlob> running;
        synchronized (this) {
            running = new ArrayList<>(openPartials.values());
        }
        // outside the monitor: an in-flight chunk needs it to finish
        for (PartialBlob p : running) p.abandon();
        synchronized (this) {
            closed = true;
            MVStore mv = gen.mv;
            if (mv.isClosed()) {
                lock.release(false);
                return;
            }
            try {
                commit();
                mv.close();
            } catch (MVStoreException | DomainException e) {
                log.warn("closing the store failed: {}", e.toString());
                mv.closeImmediately();
            } finally {
                lock.release(true);
            }
        }
    }
}
