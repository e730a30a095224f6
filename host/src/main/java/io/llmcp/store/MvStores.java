package io.llmcp.store;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening MVStore the way docs/STORE.md explains, and saying its failures in the protocol's terms. */
final class MvStores {
    private static final Logger log = LoggerFactory.getLogger(MvStores.class);

    private MvStores() {
    }

    static MVStore open(Path file, StoreOptions options, StoreLock lock) {
        try {
            // Our own file store (reused commit-sized write buffers); it reads the page cache size from its config.
            Map<String, Object> fileConfig = new HashMap<>();
            fileConfig.put("cacheSize", options.cacheMb());
            ReusedBufferFileStore fileStore = new ReusedBufferFileStore(fileConfig, options.commitBytes() + options.chunkSize());
            fileStore.open(file.toString(), false, null);
            MVStore.Builder b = new MVStore.Builder();
            if (options.compress()) b.compress();
            return b
                    .adoptFileStore(fileStore) // closed with the store
                    .autoCommitDisabled()
                    // memory-triggered commits still happen above this; keep them well above our own interval
                    .autoCommitBufferSize((int) Math.min(Integer.MAX_VALUE, options.commitBytes() * 4 / 1024))
                    .open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) throw lock.lockedByOther();
            if (isDiskFull(e)) throw diskFull(file, e);
            throw new StoreException(Failure.STORE_CORRUPT, "cannot open the model store " + file + ": " + e.getMessage(),
                    Details.of("file", file.toString()), e);
        }
    }

    /**
     * A failed write panics MVStore (it closes itself); say what happened in the protocol's terms. The host must be
     * restarted to reopen the store; committed data is intact (see the crash tests).
     */
    static StoreException failure(Path file, MVStoreException e) {
        if (isDiskFull(e)) return diskFull(file, e);
        log.error("model store write failed", e);
        return new StoreException(Failure.STORE_UNAVAILABLE, "the model store failed and closed itself (" + e.getMessage()
                + "); committed data is intact and the store reopens at its last commit on the next request",
                Details.of("file", file.toString()), e);
    }

    static StoreException diskFull(Path file, Throwable e) {
        log.warn("model store {}: no space left on the device", file);
        return new StoreException(Failure.DISK_FULL, "no space left on the device holding " + file
                + "; free space (llmcp rm, llmcp gc --compact) and retry: committed data is intact and downloads resume",
                Details.of("file", file.toString()), e);
    }

    /** ENOSPC however it is wrapped: an IOException, MVStore's "Writing failed", or "store is closed" after either. */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof java.nio.file.FileSystemException f ? f.getReason() + " " + f.getMessage() : t.getMessage();
            if (m == null) continue;
            String lower = m.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("no space left") || lower.contains("disk quota exceeded") || lower.contains("not enough space")) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

}
