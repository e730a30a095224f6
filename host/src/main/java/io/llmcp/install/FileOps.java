package io.llmcp.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes that touch a file only when its bytes would change (so a second install leaves bytes and mtimes alone),
 * always through a temp file and a rename (so a browser never reads half a manifest), and remember which
 * directories they had to create (so uninstall removes those and no others).
 */
final class FileOps {
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private final boolean dryRun;
    private final List<Path> createdDirs = new ArrayList<>();

    FileOps(boolean dryRun) {
        this.dryRun = dryRun;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** Directories created so far, parents before children. */
    List<Path> createdDirs() {
        return createdDirs;
    }

    /** Writes {@code bytes} unless the file already holds exactly them (and, when asked, is executable). */
    String write(Path file, byte[] bytes, boolean executable) throws IOException {
        boolean exists = Files.isRegularFile(file);
        if (exists && java.util.Arrays.equals(Files.readAllBytes(file), bytes) && modeOk(file, executable)) return "unchanged";
        if (dryRun) return exists ? "would update" : "would create";
        ensureDir(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".llmcp-tmp");
        Files.write(tmp, bytes);
        setMode(tmp, executable);
        move(tmp, file);
        return exists ? "updated" : "created";
    }

    /** Copies {@code source} unless {@code target} already has the same bytes. */
    String copy(Path source, Path target) throws IOException {
        boolean exists = Files.isRegularFile(target);
        if (exists && Files.size(source) == Files.size(target) && Files.mismatch(source, target) == -1L) return "unchanged";
        if (dryRun) return exists ? "would update" : "would create";
        ensureDir(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".llmcp-tmp");
        try (InputStream in = Files.newInputStream(source)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        setMode(tmp, false);
        move(tmp, target);
        return exists ? "updated" : "created";
    }

    /** Creates {@code dir} and any missing parents, remembering each one it created. */
    void ensureDir(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) missing.add(0, p);
        if (missing.isEmpty() || dryRun) return;
        Files.createDirectories(dir);
        for (Path p : missing) {
            if (!createdDirs.contains(p)) createdDirs.add(p);
        }
    }

    private static boolean modeOk(Path file, boolean executable) {
        return !executable || Files.isExecutable(file);
    }

    private static void setMode(Path file, boolean executable) throws IOException {
        try {
            Files.setPosixFilePermissions(file, executable ? EXECUTABLE : READABLE);
        } catch (UnsupportedOperationException e) {
            // Windows: no POSIX modes; .bat files run because of their extension.
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
