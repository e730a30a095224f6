package io.llmcp.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.DataUtils;

/**
 * Test hook: makes a store file's writes fail the way a full disk does (MVStore's "Writing failed" around an
 * IOException "No space left on device"), after a budget of bytes. Nothing in the host sets it.
 */
public final class StoreFaults {
    private static final Map<String, AtomicLong> BUDGETS = new ConcurrentHashMap<>();

    private StoreFaults() {
    }

    /** From now on the store file {@code file} may write {@code bytes} more bytes; then every write fails. */
    public static void diskFullAfter(Path file, long bytes) {
        BUDGETS.put(StoreLock.canonical(file).toString(), new AtomicLong(bytes));
    }

    /** Space is free again. */
    public static void clear(Path file) {
        BUDGETS.remove(StoreLock.canonical(file).toString());
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
