package io.llmcp.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stats, garbage collection and file compaction of a {@link BlobStore}: the slow, whole-store passes. */
final class StoreMaintenance {
    private static final Logger log = LoggerFactory.getLogger(StoreMaintenance.class);

    private final BlobStore store;

    StoreMaintenance(BlobStore store) {
        this.store = store;
    }

    StoreStats stats() {
        long stored = 0;
        long chunkCount = 0;
        for (byte[] v : store.index().values()) {
            stored += ChunkRef.decode(v).size();
            chunkCount++;
        }
        long blobBytes = 0;
        long blobCount = 0;
        for (byte[] m : store.manifests().values()) {
            blobBytes += Manifest.decode(m).size();
            blobCount++;
        }
        long partialBytes = 0;
        long partialCount = 0;
        for (byte[] p : store.partials().values()) {
            partialBytes += PartialState.decode(p).bytes();
            partialCount++;
        }
        return new StoreStats(blobBytes, stored, store.mv().getFileStore().size(), chunkCount, blobCount, partialCount, partialBytes);
    }

    GcResult gc(Set<String> liveBlobs, long graceMillis) {
        long t0 = System.nanoTime();
        synchronized (store) {
            long now = System.currentTimeMillis();
            long blobsRemoved = 0;
            long partialsRemoved = 0;
            for (String key : store.partials().keySet().toArray(new String[0])) {
                if (key.startsWith(BlobStore.PUT_PREFIX) && !store.openPartials().containsKey(key)) {
                    store.partials().remove(key);
                    partialsRemoved++;
                }
            }
            if (liveBlobs != null) {
                for (Map.Entry<String, byte[]> e : List.copyOf(store.manifests().entrySet())) {
                    if (!liveBlobs.contains(e.getKey()) && Manifest.decode(e.getValue()).fetchedAt() < now - graceMillis) {
                        store.manifests().remove(e.getKey());
                        blobsRemoved++;
                    }
                }
            }
            Map<String, Long> uses = countReferences();
            long orphans = 0;
            long freed = 0;
            long repaired = 0;
            for (Map.Entry<byte[], byte[]> e : List.copyOf(store.index().entrySet())) {
                ChunkRef r = ChunkRef.decode(e.getValue());
                long real = uses.getOrDefault(Hashes.hex(e.getKey()), 0L);
                if (real == 0) {
                    freed += store.freeChunk(e.getKey(), r);
                    orphans++;
                } else if (real != r.refs()) {
                    store.index().put(e.getKey(), r.withRefs(real).encode());
                    repaired++;
                }
            }
            store.commit();
            store.mv().sync();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (orphans > 0 || repaired > 0 || blobsRemoved > 0) {
                log.info("gc: {} orphan chunks ({} bytes) freed, {} refs repaired, {} blobs and {} partials removed in {} ms",
                        orphans, freed, repaired, blobsRemoved, partialsRemoved, millis);
            }
            return new GcResult(orphans, freed, blobsRemoved, partialsRemoved, repaired, millis);
        }
    }

    /** How many manifest and partial positions use each chunk (hex hash → count); open ingests count as in memory. */
    private Map<String, Long> countReferences() {
        Map<String, Long> uses = new HashMap<>();
        for (byte[] m : store.manifests().values()) {
            for (byte[] h : Manifest.decode(m).chunks()) uses.merge(Hashes.hex(h), 1L, Long::sum);
        }
        for (Map.Entry<String, byte[]> e : store.partials().entrySet()) {
            if (store.openPartials().containsKey(e.getKey())) continue;
            for (byte[] h : PartialState.decode(e.getValue()).chunks) uses.merge(Hashes.hex(h), 1L, Long::sum);
        }
        for (PartialBlob p : store.openPartials().values()) {
            for (byte[] h : p.state.chunks) uses.merge(Hashes.hex(h), 1L, Long::sum);
        }
        return uses;
    }

    /**
     * Gives freed space back to the file system. MVStore reuses freed space only after the retention time and
     * {@code versionsToKeep} newer versions, and only {@code compactMoveChunks} truncates the file
     * ({@code compactFile} and background compaction did nothing for whole-chunk deletions, see the note). Holds
     * the write monitor throughout; readers keep working on the moved chunks.
     */
    CompactResult compact() {
        long t0 = System.nanoTime();
        synchronized (store) {
            MVStore mv = store.mv();
            long before = mv.getFileStore().size();
            int retention = mv.getRetentionTime();
            int versions = mv.getVersionsToKeep();
            try {
                mv.setRetentionTime(0);
                mv.setVersionsToKeep(0);
                // a few small versions so the chunks freed by earlier deletes are really free
                var meta = store.stringMap("housekeeping");
                for (int i = 0; i < 3; i++) {
                    meta.put("compactTick", Long.toString(System.nanoTime()));
                    mv.commit();
                }
                if (mv.getFileStore() instanceof RandomAccessStore ras) {
                    // Moving chunks alone left a deleted model's commit in place when a page some other map still
                    // uses shared it (a 4 MiB-chunk commit kept whole for a few hundred live bytes: 1.25x after
                    // rm + compact). Rewriting the live pages of chunks under 95 % fill first frees those chunks.
                    for (int pass = 0; pass < 3; pass++) {
                        long size = ras.size();
                        mv.compact(95, Integer.MAX_VALUE);
                        mv.commit();
                        ras.compactMoveChunks(100, Long.MAX_VALUE, mv);
                        meta.put("compactTick", Long.toString(System.nanoTime()));
                        mv.commit();
                        if (ras.size() >= size) break;
                    }
                }
                mv.commit();
                mv.sync();
            } finally {
                mv.setRetentionTime(retention);
                mv.setVersionsToKeep(versions);
            }
            long after = mv.getFileStore().size();
            return new CompactResult(before, after, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
