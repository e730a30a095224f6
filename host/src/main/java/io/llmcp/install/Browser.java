package io.llmcp.install;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The browsers whose per-user native-messaging locations the installer knows. Locations follow the Chrome
 * native-messaging docs (Chrome, Chromium), MDN's "Native manifests" (Firefox), Microsoft's Edge docs, and the
 * layouts Brave and Vivaldi use for their Chromium user-data dirs; {@link BrowserLocations} turns them into paths.
 */
public enum Browser {
    CHROME("chrome", "Google Chrome", Family.CHROMIUM, "google-chrome", "Google/Chrome", "Google/Chrome/User Data", "Software\\Google\\Chrome"),
    CHROMIUM("chromium", "Chromium", Family.CHROMIUM, "chromium", "Chromium", "Chromium/User Data", "Software\\Chromium"),
    EDGE("edge", "Microsoft Edge", Family.CHROMIUM, "microsoft-edge", "Microsoft Edge", "Microsoft/Edge/User Data", "Software\\Microsoft\\Edge"),
    BRAVE("brave", "Brave", Family.CHROMIUM, "BraveSoftware/Brave-Browser", "BraveSoftware/Brave-Browser",
            "BraveSoftware/Brave-Browser/User Data", "Software\\BraveSoftware\\Brave-Browser"),
    VIVALDI("vivaldi", "Vivaldi", Family.CHROMIUM, "vivaldi", "Vivaldi", "Vivaldi/User Data", "Software\\Vivaldi"),
    FIREFOX("firefox", "Mozilla Firefox", Family.FIREFOX, null, null, null, "Software\\Mozilla");

    /** Which manifest template a browser reads: Chromium-based browsers take origins, Firefox takes add-on ids. */
    public enum Family { CHROMIUM, FIREFOX }

    private final String key;
    private final String displayName;
    private final Family family;
    private final String linuxConfigDir;
    private final String macSupportDir;
    private final String windowsUserDataDir;
    private final String windowsRegistryBase;

    Browser(String key, String displayName, Family family, String linuxConfigDir, String macSupportDir,
            String windowsUserDataDir, String windowsRegistryBase) {
        this.key = key;
        this.displayName = displayName;
        this.family = family;
        this.linuxConfigDir = linuxConfigDir;
        this.macSupportDir = macSupportDir;
        this.windowsUserDataDir = windowsUserDataDir;
        this.windowsRegistryBase = windowsRegistryBase;
    }

    /** The name used on the command line ({@code --browser chrome,firefox}) and in the install record. */
    public String key() {
        return key;
    }

    public String displayName() {
        return displayName;
    }

    public Family family() {
        return family;
    }

    /** Chromium family, Linux: the browser's dir under {@code $XDG_CONFIG_HOME} (default {@code ~/.config}). */
    String linuxConfigDir() {
        return linuxConfigDir;
    }

    /** Chromium family, macOS: the browser's dir under {@code ~/Library/Application Support}. */
    String macSupportDir() {
        return macSupportDir;
    }

    /** Chromium family, Windows: the browser's user-data dir under {@code %LOCALAPPDATA%} (used for detection). */
    String windowsUserDataDir() {
        return windowsUserDataDir;
    }

    /** The HKCU sub-key under which the browser looks for {@code NativeMessagingHosts\<name>}. */
    String windowsRegistryBase() {
        return windowsRegistryBase;
    }

    public static Browser byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        for (Browser b : values()) {
            if (b.key.equals(k)) return b;
        }
        throw new IllegalArgumentException("unknown browser '" + key + "': use one of " + keys() + " or 'all'");
    }

    /** Parses {@code --browser}: a comma-separated list of keys, or {@code all}. */
    public static Set<Browser> parseList(String list) {
        if (list.trim().equalsIgnoreCase("all")) return EnumSet.allOf(Browser.class);
        Set<Browser> out = EnumSet.noneOf(Browser.class);
        for (String part : list.split(",")) {
            if (!part.isBlank()) out.add(byKey(part));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--browser is empty: use one of " + keys() + " or 'all'");
        return out;
    }

    public static String keys() {
        return Arrays.stream(values()).map(Browser::key).collect(Collectors.joining(","));
    }
}
