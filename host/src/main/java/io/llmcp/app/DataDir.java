package io.llmcp.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the host keeps its store, config and logs: {@code LLMCP_HOME} when set, else the OS convention.
 * Inputs are injected so every OS layout is testable on any OS.
 *
 * <p>What is in it (model weights, the data.* values the extension stores, logs with model ids and URLs, a
 * token in config.json) is the user's alone: where the file system has POSIX permissions, directories are
 * created 0700 and files made 0600, whatever the umask, and an existing install is tightened when a process
 * starts ({@link #makePrivate}). Elsewhere (Windows) these are no-ops: the per-user profile directory is private.
 */
public final class DataDir {
    public static final Set<PosixFilePermission> DIR_PERMISSIONS = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");

    private DataDir() {
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only, or tightens it when it exists: 0700 for it and its
     * {@code logs} directory, 0600 for the store, pid, config and log files. Best effort: a failure to change
     * permissions never stops the host.
     */
    public static Path makePrivate(Path dir) throws IOException {
        privateDir(dir);
        if (!posix(dir)) return dir;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                // the store and its pid file, the settings (the bin/ of an install stays as the installer made it)
                if ((name.startsWith("store.mv") || name.equals("config.json")) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    privateFile(f);
                }
            }
        }
        Path logs = dir.resolve("logs");
        if (Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS)) {
            privateDir(logs);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logs)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) privateFile(f);
                }
            }
        }
        return dir;
    }

    /**
     * The logs directory, private, with today's log file created 0600 before the logger opens it (the logger
     * appends and would otherwise create it with the umask's permissions; later days' files rely on the 0700 dir).
     */
    public static Path prepareLogs(Path dataDir) throws IOException {
        makePrivate(dataDir);
        Path logs = dataDir.resolve("logs");
        privateDir(logs);
        createPrivateFile(logs.resolve("llmcp-" + LocalDate.now() + ".log"));
        return logs;
    }

    /** Creates {@code dir} and missing parents; the ones created here, and {@code dir} itself, are 0700. */
    public static void privateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) privateDir(parent);
            try {
                if (posix(parent)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_PERMISSIONS));
                } else {
                    Files.createDirectory(dir);
                }
            } catch (FileAlreadyExistsException raced) {
                // another process made it
            }
        }
        restrict(dir, DIR_PERMISSIONS);
    }

    /** Makes an existing file 0600 (no-op without POSIX permissions). */
    public static void privateFile(Path file) {
        restrict(file, FILE_PERMISSIONS);
    }

    /** Creates {@code file} empty and 0600 unless it exists (then only tightens it). */
    public static void createPrivateFile(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                if (posix(file.getParent())) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
                } else {
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                // fine: tightened below
            }
        }
        privateFile(file);
    }

    private static void restrict(Path p, Set<PosixFilePermission> perms) {
        try {
            // By path (stat/chmod), never NOFOLLOW_LINKS: the JDK implements that by opening the file and closing it
            // again, and closing any descriptor of a file drops this process's POSIX locks on it (MVStore's lock
            // on store.mv). Symbolic links are skipped instead.
            if (Files.isSymbolicLink(p) || !Files.exists(p)) return;
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            if (view == null) return;
            if (!view.readAttributes().permissions().equals(perms)) view.setPermissions(perms);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not ours to change (another owner) or no POSIX permissions: privacy is best effort
        }
    }

    private static boolean posix(Path p) {
        try {
            return p != null && Files.getFileStore(p).supportsFileAttributeView(PosixFileAttributeView.class);
        } catch (IOException e) {
            return false;
        }
    }

    public static Path resolve() {
        return resolve(System.getenv(), System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
    }

    public static Path resolve(Map<String, String> env, String osName, Path home) {
        String explicit = env.get("LLMCP_HOME");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit).toAbsolutePath();
        switch (Os.of(osName)) {
            case WINDOWS: {
                String local = env.get("LOCALAPPDATA");
                Path base = local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local");
                return base.resolve("llmcp");
            }
            case MAC:
                return home.resolve("Library").resolve("Application Support").resolve("llmcp");
            default: {
                String xdg = env.get("XDG_DATA_HOME");
                Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local").resolve("share");
                return base.resolve("llmcp");
            }
        }
    }

    /** The operating-system families whose conventions differ. */
    public enum Os {
        LINUX, MAC, WINDOWS;

        public static Os of(String osName) {
            String n = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
            if (n.startsWith("windows")) return WINDOWS;
            if (n.startsWith("mac") || n.startsWith("darwin")) return MAC;
            return LINUX;
        }

        public static Os current() {
            return of(System.getProperty("os.name"));
        }
    }
}
