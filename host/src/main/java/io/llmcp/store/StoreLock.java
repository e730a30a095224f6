package io.llmcp.store;

import java.util.Map;
import io.llmcp.failure.Failure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who holds a store file. Inside this JVM a set of canonical paths: MVStore must never be asked to open a
 * file twice, because the failed second open closes its FileChannel and on Linux that drops the process's
 * fcntl lock, letting another process in. Across processes MVStore's own lock decides; the holder writes its
 * pid beside the store so the loser can say who holds it.
 */
final class StoreLock {
    private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Path pidFile;

    private StoreLock(Path file) {
        this.file = file;
        this.pidFile = file.resolveSibling(file.getFileName() + ".pid");
    }

    /** Claims {@code file} for this JVM, or throws STORE_UNAVAILABLE when it is already open here. */
    static StoreLock claim(Path file) {
        StoreLock lock = new StoreLock(file);
        if (!OPEN_IN_THIS_JVM.add(file)) {
            throw lock.unavailable(ProcessHandle.current().pid(), "is already open in this process");
        }
        return lock;
    }

    /** The one name of a store file: the same file reached through links or relative paths is one instance. */
    static Path canonical(Path file) {
        try {
            Path abs = file.toAbsolutePath().normalize();
            if (!Files.isDirectory(abs.getParent())) io.llmcp.app.DataDir.privateDir(abs.getParent());
            return abs.getParent().toRealPath().resolve(abs.getFileName());
        } catch (IOException e) {
            throw new StoreException(Failure.STORE_UNAVAILABLE, "cannot create the store directory for " + file + ": " + e.getMessage());
        }
    }

    Path pidFile() {
        return pidFile;
    }

    /** Called once MVStore holds the OS lock. */
    void recordHolder() {
        try {
            Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
            io.llmcp.app.DataDir.privateFile(pidFile);
        } catch (IOException e) {
            // Only the error message of a competing process suffers; the store itself is fine.
        }
    }

    /** The error for a store that another process holds, naming its pid when the pid file tells it. */
    StoreException lockedByOther() {
        long pid = readHolderPid();
        return unavailable(pid, pid > 0 ? "is locked by another llmcp process" : "is locked by another process");
    }

    private StoreException unavailable(long pid, String what) {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("file", file.toString());
        if (pid > 0) data.put("pid", pid);
        String who = pid > 0 ? " (pid " + pid + ")" : "";
        String hint = pid > 0 && pid != ProcessHandle.current().pid()
                ? "; stop it or let your command go through it" : "";
        return new StoreException(Failure.STORE_UNAVAILABLE, "model store " + file + " " + what + who + hint, data);
    }

    long readHolderPid() {
        try {
            return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Forgets the claim; removes the pid file only when it is ours (a later holder may have rewritten it). */
    void release(boolean wasHolder) {
        if (wasHolder && readHolderPid() == ProcessHandle.current().pid()) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // stale pid files are harmless: the OS lock is what counts
            }
        }
        OPEN_IN_THIS_JVM.remove(file);
    }
}
