package io.llmcp.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the host keeps its store, config and logs: {@code LLMCP_HOME} when set, else the OS convention.
 * Inputs are injected so every OS layout is testable on any OS.
 */
public final class DataDir {
    private DataDir() {
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
