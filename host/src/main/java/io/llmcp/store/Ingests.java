package io.llmcp.store;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStoreException;

/**
 * The store's resumable ingests ({@link PartialBlob}): open or continue one, append its chunks, commit its progress,
 * turn it into a blob, drop it. Every step that writes holds the store's monitor, the same lock as the rest of
 * {@link BlobStore}'s writes, so an ingest's progress is committed together with everything else; an ingest
 * opened before the store reopened itself (after a failed write) is refused, since its chunk list is not the file's.
 */
final class Ingests {
    private final BlobStore store;

    Ingests(BlobStore store) {
        this.store = store;
    }

    /**
     * The resumable ingest named {@code key} (e.g. {@code modelId/path}): new, or continuing from what the
     * last run committed. One open instance per key; a second open while one is running fails with BUSY.
     */
    PartialBlob open(String key) {
        synchronized (store) {
            if (key == null || key.isEmpty()) throw StoreException.invalidInput("key", "must not be empty");
            if (store.openPartials().containsKey(key)) {
                throw new StoreException(Failure.BUSY, "an ingest of '" + key + "' is already running", Details.of("key", key));
            }
            byte[] raw = store.read(store.gen().partials, key);
            PartialState state = raw != null ? PartialState.decode(raw)
                    : new PartialState(store.options().chunkSize(), System.currentTimeMillis(), new ArrayList<>());
            PartialBlob p = new PartialBlob(store, key, state);
            p.generation = store.current();
            store.openPartials().put(key, p);
            return p;
        }
    }

    /** Keys of the unfinished ingests kept in the store. */
    List<String> keys() {
        try {
            return new ArrayList<>(store.gen().partials.keySet());
        } catch (MVStoreException e) {
            throw store.failed(e);
        }
    }

    /** Drops the stored progress of {@code key} unless an ingest of it is running; true when something was dropped. */
    boolean discard(String key) {
        synchronized (store) {
            if (store.openPartials().containsKey(key)) return false;
            try {
                byte[] raw = store.gen().partials.remove(key);
                if (raw == null) return false;
                for (byte[] h : PartialState.decode(raw).chunks) store.releaseChunk(h);
                store.commit();
                return true;
            } catch (MVStoreException e) {
                throw store.failed(e);
            }
        }
    }

    void appendChunk(PartialBlob p, byte[] hash, byte[] bytes) {
        synchronized (store) {
            checkOpen(p);
            try {
                store.addChunk(hash, bytes);
                p.state.chunks.add(hash);
                p.dirty = true;
                if (store.current().chunks.unsavedBytes >= store.options().commitBytes()) store.commit();
            } catch (MVStoreException e) {
                throw store.failed(e);
            }
        }
    }

    void save(PartialBlob p) {
        synchronized (store) {
            checkOpen(p);
            p.dirty = true;
            store.commit();
        }
    }

    BlobInfo complete(PartialBlob p, String sha, long size, byte[] lastHash, byte[] lastBytes) {
        synchronized (store) {
            checkOpen(p);
            try {
                return completeLocked(p, sha, size, lastHash, lastBytes);
            } catch (MVStoreException e) {
                throw store.failed(e);
            }
        }
    }

    private BlobInfo completeLocked(PartialBlob p, String sha, long size, byte[] lastHash, byte[] lastBytes) {
        MVMap<String, byte[]> manifests = store.current().manifests;
        List<byte[]> all = new ArrayList<>(p.state.chunks);
        if (lastBytes != null) {
            store.addChunk(lastHash, lastBytes);
            all.add(lastHash);
        }
        byte[] existing = manifests.get(sha);
        Manifest m;
        if (existing != null) {
            m = Manifest.decode(existing);
            for (byte[] h : all) store.releaseChunk(h); // the blob is already here: our references are surplus
        } else {
            m = new Manifest(size, p.state.chunkSize, System.currentTimeMillis(), p.state.sourceUrl, p.state.etag, all);
            manifests.put(sha, m.encode());
        }
        store.current().partials.remove(p.key());
        store.openPartials().remove(p.key());
        store.commit();
        store.current().mv.sync(); // commit() does not fsync; a finished blob must survive power loss
        return m.info(sha);
    }

    void drop(PartialBlob p, boolean keepEntry) {
        synchronized (store) {
            if (p.generation != store.gen()) {
                // the store reopened under this ingest: its in-memory chunk list is not the file's; gc frees the rest
                if (!keepEntry) store.openPartials().remove(p.key(), p);
                p.state.chunks.clear();
                return;
            }
            try {
                for (byte[] h : p.state.chunks) store.releaseChunk(h);
                p.state.chunks.clear();
                if (keepEntry) {
                    p.dirty = true;
                } else {
                    store.current().partials.remove(p.key());
                    store.openPartials().remove(p.key());
                }
                store.commit();
            } catch (MVStoreException e) {
                throw store.failed(e);
            }
        }
    }

    void close(PartialBlob p) {
        synchronized (store) {
            if (store.openPartials().get(p.key()) != p) return;
            try {
                if (!store.current().mv.isClosed() && p.generation == store.current()) store.commit();
            } catch (MVStoreException e) {
                throw store.failed(e);
            } finally {
                store.openPartials().remove(p.key());
            }
        }
    }

    /** Deregisters an ingest that failed half-way, without touching the maps. */
    void forget(PartialBlob p) {
        synchronized (store) {
            store.openPartials().remove(p.key(), p);
        }
    }

    private void checkOpen(PartialBlob p) {
        if (p.generation != store.gen()) {
            StoreException why = store.lastFailure();
            throw new StoreException(why != null ? why.failure() : Failure.STORE_UNAVAILABLE, "the model store closed itself while '"
                    + p.key() + "' was being written" + (why != null ? " (" + why.getMessage() + ")" : "")
                    + "; what was committed is kept, pull again to resume", Details.of("key", p.key()));
        }
        if (store.openPartials().get(p.key()) != p) throw new IllegalStateException("ingest of '" + p.key() + "' is closed");
    }
}
