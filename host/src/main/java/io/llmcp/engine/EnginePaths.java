package io.llmcp.engine;

import io.llmcp.app.DataDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where one user's engine lives: a private run directory holding the socket, the lock the engine holds for
 * its life, its pid file and a start log.
 *
 * <p>The run dir is {@code $XDG_RUNTIME_DIR/llmcp} when set (Linux: per-user tmpfs, mode 0700, cleared at
 * logout), else {@code <dataDir>/run}; on Windows {@code <dataDir>/run}, which is under {@code %LOCALAPPDATA%}
 * (AF_UNIX works there on Windows 10+; that path is present but has not been run). A data dir other than
 * the OS default gets its own engine ({@code llmcp-<hash>}), so an engine never serves the wrong store.
 */
public record EnginePaths(Path dataDir, Path runDir) {
    /** AF_UNIX paths are limited to 108 bytes on Linux (104 on macOS) including the terminator. */
    private static final int MAX_SOCKET_PATH_BYTES = 90; // room for the temporary bind name

    public static EnginePaths resolve() {
        return resolve(DataDir.resolve(), System.getenv(), System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
    }

    public static EnginePaths resolve(Path dataDir, Map<String, String> env, String osName, Path home) {
        String xdg = env.get("XDG_RUNTIME_DIR");
        boolean windows = DataDir.Os.of(osName) == DataDir.Os.WINDOWS;
        if (windows || xdg == null || xdg.isBlank() || !Path.of(xdg).isAbsolute()) {
            return new EnginePaths(dataDir, dataDir.resolve("run"));
        }
        Map<String, String> withoutHome = new HashMap<>(env);
        withoutHome.remove("LLMCP_HOME");
        boolean defaultHome = DataDir.resolve(withoutHome, osName, home).equals(dataDir);
        String name = defaultHome ? "llmcp" : "llmcp-" + shortHash(dataDir.toString());
        return new EnginePaths(dataDir, Path.of(xdg).resolve(name));
    }

    public Path socket() {
        return runDir.resolve("engine.sock");
    }

    /** Held (FileChannel lock) by the running engine for its whole life: exactly one engine per run dir. */
    public Path lockFile() {
        return runDir.resolve("engine.lock");
    }

    /** Held by a client while it starts an engine, so ten clients starting at once spawn one process. */
    public Path spawnLockFile() {
        return runDir.resolve("spawn.lock");
    }

    public Path pidFile() {
        return runDir.resolve("engine.pid");
    }

    /** One line per engine that won the lock: pid and start time (diagnostics, and the start-race test). */
    public Path startLog() {
        return runDir.resolve("engine-starts.log");
    }

    /** Where a detached engine's stderr goes (its logs proper go to the rotating log file). */
    public Path engineStderr() {
        return dataDir.resolve("logs").resolve("engine-stderr.log");
    }

    /** Creates the run dir private to this user (0700) where the file system has POSIX permissions. */
    public void ensureRunDir() throws IOException {
        Files.createDirectories(runDir);
        if (posix()) Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwx------"));
        if (socket().toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new IOException("the engine socket path " + socket() + " is too long for a Unix socket;"
                    + " set XDG_RUNTIME_DIR or LLMCP_HOME to a shorter directory");
        }
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
