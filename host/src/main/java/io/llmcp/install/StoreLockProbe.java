package io.llmcp.install;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Asks the OS whether another process holds the store file's lock, without opening the store (so the doctor does
 * not depend on the store's classes and never writes to it). MVStore takes an exclusive lock on the whole file
 * while it has it open read-write; a shared lock attempt on a read-only channel fails exactly then.
 *
 * <p>Only for processes that do not have the store open themselves: on Linux, closing any channel to a file drops
 * the process's own fcntl locks on it (see docs/STORE.md, "Locks"), so never call this from the host or engine.
 */
public final class StoreLockProbe {
    /** The store file under the data dir; the store owns the name, this is the one place the doctor assumes it. */
    public static final String STORE_FILE = "store.mv";

    /** @param holderPid the process holding the lock when the OS tells us (Linux /proc/locks), else empty */
    public record Result(boolean exists, boolean locked, Optional<Long> holderPid) {
    }

    private StoreLockProbe() {
    }

    public static Result probe(Path storeFile) throws IOException {
        if (!Files.isRegularFile(storeFile)) return new Result(false, false, Optional.empty());
        try (FileChannel ch = FileChannel.open(storeFile, StandardOpenOption.READ)) {
            FileLock lock;
            try {
                lock = ch.tryLock(0L, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return new Result(true, true, Optional.of(ProcessHandle.current().pid()));
            }
            if (lock != null) {
                lock.release();
                return new Result(true, false, Optional.empty());
            }
        }
        return new Result(true, true, holder(storeFile));
    }

    /** Linux lists every lock in /proc/locks as {@code N: POSIX ADVISORY WRITE pid maj:min:inode start end}. */
    static Optional<Long> holder(Path file) {
        Path locks = Path.of("/proc/locks");
        if (!Files.isReadable(locks)) return Optional.empty();
        try {
            Object ino = Files.getAttribute(file, "unix:ino");
            return holderFromProcLocks(Files.readAllLines(locks), ((Number) ino).longValue());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> holderFromProcLocks(List<String> lines, long inode) {
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // "1:" "POSIX" "ADVISORY" "WRITE" "1234" "08:01:5678" "0" "EOF"; blocked waiters have "->" after the index.
            if (f.length < 6 || f[1].equals("->")) continue;
            String[] dev = f[5].split(":");
            try {
                if (dev.length == 3 && Long.parseLong(dev[2]) == inode) return Optional.of(Long.parseLong(f[4]));
            } catch (NumberFormatException e) {
                // not a lock line
            }
        }
        return Optional.empty();
    }
}
