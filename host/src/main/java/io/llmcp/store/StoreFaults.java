package io.llmcp.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.DataUtils;

/**
 * Test hook: makes a store file's writes (or fsyncs) fail the way a full disk does (MVStore's "Writing failed"
 * around an IOException "No space left on device"). Nothing in the host sets it.
 */
public final class StoreFaults {
    private static final Map<String, AtomicLong> BUDGETS = new ConcurrentHashMap<>();
    private static final java.util.Set<String> SYNC_FAILS = ConcurrentHashMap.newKeySet();

    private StoreFaults() {
    }

    /** From now on the store file {@code file} may write {@code bytes} more bytes; then every write fails. */
    public static void diskFullAfter(Path file, long bytes) {
        BUDGETS.put(StoreLock.canonical(file).toString(), new AtomicLong(bytes));
    }

    /**
     * From now on fsync of {@code file} fails with ENOSPC while writes still work: what ext4 with delayed
     * allocation does when the blocks it promised are gone.
     */
    public static void syncFails(Path file) {
        SYNC_FAILS.add(StoreLock.canonical(file).toString());
    }

    /** Space is free again. */
    public static void clear(Path file) {
        BUDGETS.remove(StoreLock.canonical(file).toString());
        SYNC_FAILS.remove(StoreLock.canonical(file).toString());
    }

    static void beforeSync(String fileName) {
        if (!SYNC_FAILS.isEmpty() && SYNC_FAILS.contains(fileName)) {
            throw DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Could not sync file {0}", fileName,
                    new IOException("No space left on device"));
        }
    }

    static void beforeWrite(String fileName, long pos, int length) {
        if (BUDGETS.isEmpty()) return;
        AtomicLong budget = BUDGETS.get(fileName);
        if (budget == null) return;
        if (budget.addAndGet(-length) < 0) {
            budget.set(0);
            throw DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "Writing to {0} failed; length {1} at {2}",
                    fileName, length, pos, new IOException("No space left on device"));
        }
    }
}
