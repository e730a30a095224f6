package io.llmcp.install;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Computes every browser's per-user manifest location for the injected OS, home and environment.
 * <ul>
 *   <li>Linux: Chromium browsers read {@code $XDG_CONFIG_HOME/<browser>/NativeMessagingHosts} (their user-data dir
 *   follows XDG_CONFIG_HOME, default {@code ~/.config}); Firefox reads {@code ~/.mozilla/native-messaging-hosts}.</li>
 *   <li>macOS: {@code ~/Library/Application Support/<browser>/NativeMessagingHosts}; Firefox
 *   {@code ~/Library/Application Support/Mozilla/NativeMessagingHosts}.</li>
 *   <li>Windows: browsers find the manifest through {@code HKCU\<browser key>\NativeMessagingHosts\io.llmcp.host},
 *   so the file itself lives under the data dir.</li>
 * </ul>
 */
public final class BrowserLocations {
    /** The name the extension passes to {@code connectNative}; also the manifest file name and the registry key. */
    public static final String HOST_NAME = "io.llmcp.host";
    public static final String MANIFEST_FILE_NAME = HOST_NAME + ".json";

    private BrowserLocations() {
    }

    public static BrowserLocation of(Browser browser, InstallEnvironment env) {
        switch (env.os()) {
            case WINDOWS: return windows(browser, env);
            case MAC: return mac(browser, env);
            default: return linux(browser, env);
        }
    }

    public static List<BrowserLocation> all(InstallEnvironment env) {
        return of(List.of(Browser.values()), env);
    }

    public static List<BrowserLocation> of(Collection<Browser> browsers, InstallEnvironment env) {
        List<BrowserLocation> out = new ArrayList<>();
        for (Browser b : Browser.values()) {
            if (browsers.contains(b)) out.add(of(b, env));
        }
        return out;
    }

    /** The browsers whose config dir exists for this user. */
    public static List<BrowserLocation> detected(InstallEnvironment env) {
        List<BrowserLocation> out = new ArrayList<>();
        for (BrowserLocation l : all(env)) {
            if (l.detected()) out.add(l);
        }
        return out;
    }

    /**
     * A Chromium-family browser started with {@code --user-data-dir DIR} reads user-level host manifests from
     * {@code DIR/NativeMessagingHosts} (Linux and macOS; Windows browsers use the registry whatever the profile).
     * Test profiles and portable installs need this.
     *
     * @param browsers null or one Chromium-family browser (the manifest is the same for all of them)
     */
    public static BrowserLocation inUserDataDir(Collection<Browser> browsers, Path userDataDir, InstallEnvironment env) {
        if (env.os() == io.llmcp.app.DataDir.Os.WINDOWS) {
            throw new IllegalArgumentException("--user-data-dir is for Linux and macOS: on Windows browsers find the host through the registry");
        }
        Browser b = Browser.CHROMIUM;
        if (browsers != null) {
            if (browsers.size() != 1 || browsers.iterator().next().family() != Browser.Family.CHROMIUM) {
                throw new IllegalArgumentException("--user-data-dir takes one Chromium-family --browser (chrome, chromium, edge, brave or vivaldi)");
            }
            b = browsers.iterator().next();
        }
        Path dir = userDataDir.toAbsolutePath();
        return new BrowserLocation(b, dir, dir.resolve("NativeMessagingHosts").resolve(MANIFEST_FILE_NAME), null);
    }

    private static BrowserLocation linux(Browser b, InstallEnvironment env) {
        Path home = env.home();
        if (b == Browser.FIREFOX) {
            Path mozilla = home.resolve(".mozilla");
            return new BrowserLocation(b, mozilla, mozilla.resolve("native-messaging-hosts").resolve(MANIFEST_FILE_NAME), null);
        }
        Path config = xdgConfigHome(env);
        Path dir = config.resolve(b.linuxConfigDir());
        return new BrowserLocation(b, dir, dir.resolve("NativeMessagingHosts").resolve(MANIFEST_FILE_NAME), null);
    }

    private static BrowserLocation mac(Browser b, InstallEnvironment env) {
        Path support = env.home().resolve("Library").resolve("Application Support");
        if (b == Browser.FIREFOX) {
            return new BrowserLocation(b, support.resolve("Firefox"),
                    support.resolve("Mozilla").resolve("NativeMessagingHosts").resolve(MANIFEST_FILE_NAME), null);
        }
        Path dir = support.resolve(b.macSupportDir());
        return new BrowserLocation(b, dir, dir.resolve("NativeMessagingHosts").resolve(MANIFEST_FILE_NAME), null);
    }

    private static BrowserLocation windows(Browser b, InstallEnvironment env) {
        Path detect;
        if (b == Browser.FIREFOX) {
            String roaming = env.var("APPDATA");
            Path base = roaming != null ? Path.of(roaming) : env.home().resolve("AppData").resolve("Roaming");
            detect = base.resolve("Mozilla").resolve("Firefox");
        } else {
            String local = env.var("LOCALAPPDATA");
            Path base = local != null ? Path.of(local) : env.home().resolve("AppData").resolve("Local");
            detect = base.resolve(b.windowsUserDataDir());
        }
        Path manifest = env.dataDir().resolve("native-messaging-hosts").resolve(b.key()).resolve(MANIFEST_FILE_NAME);
        String key = "HKCU\\" + b.windowsRegistryBase() + "\\NativeMessagingHosts\\" + HOST_NAME;
        return new BrowserLocation(b, detect, manifest, key);
    }

    /** Chromium's user-data dir honours an absolute XDG_CONFIG_HOME, like {@link io.llmcp.app.DataDir} does for data. */
    static Path xdgConfigHome(InstallEnvironment env) {
        String xdg = env.var("XDG_CONFIG_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) return Path.of(xdg);
        return env.home().resolve(".config");
    }
}
