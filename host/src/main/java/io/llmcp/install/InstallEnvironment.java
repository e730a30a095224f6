package io.llmcp.install;

import io.llmcp.app.DataDir;
import io.llmcp.app.DataDir.Os;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything about the machine the installer depends on, injected so every OS × browser layout can be computed
 * and tested on any OS: the OS family, the user's home, the environment variables and the host's data dir.
 */
public record InstallEnvironment(Os os, Path home, Map<String, String> env, Path dataDir) {
    public InstallEnvironment {
        env = Map.copyOf(env);
        home = home.toAbsolutePath();
        dataDir = dataDir.toAbsolutePath();
    }

    /**
     * The running machine. The data dir is the host's own rule ({@link DataDir#resolve()}), so the installer writes
     * where the host will look. The home is {@code $HOME} on Linux and macOS, because that is what browsers resolve
     * {@code ~/.config} and {@code ~/.mozilla} from, while Java's {@code user.home} comes from the password database.
     */
    public static InstallEnvironment current() {
        Os os = Os.current();
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home"));
        String envHome = env.get("HOME");
        if (os != Os.WINDOWS && envHome != null && !envHome.isBlank() && Path.of(envHome).isAbsolute()) home = Path.of(envHome);
        return new InstallEnvironment(os, home, env, DataDir.resolve());
    }

    /** A machine described by the caller; the data dir follows the same rules as the host ({@link DataDir}). */
    public static InstallEnvironment of(Os os, Path home, Map<String, String> env) {
        return new InstallEnvironment(os, home, env, DataDir.resolve(env, osName(os), home));
    }

    static String osName(Os os) {
        switch (os) {
            case WINDOWS: return "Windows 11";
            case MAC: return "Mac OS X";
            default: return "Linux";
        }
    }

    /** An environment variable when set and not blank, else null. */
    public String var(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public Path binDir() {
        return dataDir.resolve("bin");
    }

    public Path installedJar() {
        return binDir().resolve("llmcp-host.jar");
    }

    /** What the browsers start: {@code llmcp-host} (sh) or {@code llmcp-host.bat}. */
    public Path hostLauncher() {
        return binDir().resolve(os == Os.WINDOWS ? "llmcp-host.bat" : "llmcp-host");
    }

    /** The {@code llmcp} command for people: same jar, no browser arguments. */
    public Path cliLauncher() {
        return binDir().resolve(os == Os.WINDOWS ? "llmcp.bat" : "llmcp");
    }

    public Path recordFile() {
        return dataDir.resolve("install-record.json");
    }
}
