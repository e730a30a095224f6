package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.app.DataDir.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrowserLocationsTest {
    static final Path HOME = Path.of("/home/ada");
    static final Path WIN_HOME = Path.of("/win/Users/ada");
    static final Map<String, String> WIN_ENV = Map.of(
            "LOCALAPPDATA", "/win/Users/ada/AppData/Local", "APPDATA", "/win/Users/ada/AppData/Roaming");

    @ParameterizedTest(name = "Linux {0}")
    @CsvSource({
            "chrome,   .config/google-chrome,               .config/google-chrome/NativeMessagingHosts/io.llmcp.host.json",
            "chromium, .config/chromium,                    .config/chromium/NativeMessagingHosts/io.llmcp.host.json",
            "edge,     .config/microsoft-edge,              .config/microsoft-edge/NativeMessagingHosts/io.llmcp.host.json",
            "brave,    .config/BraveSoftware/Brave-Browser, .config/BraveSoftware/Brave-Browser/NativeMessagingHosts/io.llmcp.host.json",
            "vivaldi,  .config/vivaldi,                     .config/vivaldi/NativeMessagingHosts/io.llmcp.host.json",
            "firefox,  .mozilla,                            .mozilla/native-messaging-hosts/io.llmcp.host.json",
    })
    void linux(String browser, String detect, String manifest) {
        BrowserLocation l = BrowserLocations.of(Browser.byKey(browser), InstallEnvironment.of(Os.LINUX, HOME, Map.of()));
        assertThat(l.detectDir()).isEqualTo(HOME.resolve(detect));
        assertThat(l.manifestFile()).isEqualTo(HOME.resolve(manifest));
        assertThat(l.registryKey()).isNull();
    }

    @ParameterizedTest(name = "macOS {0}")
    @CsvSource({
            "chrome,   Google/Chrome,               Google/Chrome/NativeMessagingHosts/io.llmcp.host.json",
            "chromium, Chromium,                    Chromium/NativeMessagingHosts/io.llmcp.host.json",
            "edge,     Microsoft Edge,              Microsoft Edge/NativeMessagingHosts/io.llmcp.host.json",
            "brave,    BraveSoftware/Brave-Browser, BraveSoftware/Brave-Browser/NativeMessagingHosts/io.llmcp.host.json",
            "vivaldi,  Vivaldi,                     Vivaldi/NativeMessagingHosts/io.llmcp.host.json",
            "firefox,  Firefox,                     Mozilla/NativeMessagingHosts/io.llmcp.host.json",
    })
    void mac(String browser, String detect, String manifest) {
        Path support = HOME.resolve("Library/Application Support");
        BrowserLocation l = BrowserLocations.of(Browser.byKey(browser), InstallEnvironment.of(Os.MAC, HOME, Map.of()));
        assertThat(l.detectDir()).isEqualTo(support.resolve(detect));
        assertThat(l.manifestFile()).isEqualTo(support.resolve(manifest));
        assertThat(l.registryKey()).isNull();
    }

    @ParameterizedTest(name = "Windows {0}")
    @CsvSource({
            "chrome,   Local/Google/Chrome/User Data,               HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\io.llmcp.host",
            "chromium, Local/Chromium/User Data,                    HKCU\\Software\\Chromium\\NativeMessagingHosts\\io.llmcp.host",
            "edge,     Local/Microsoft/Edge/User Data,              HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\io.llmcp.host",
            "brave,    Local/BraveSoftware/Brave-Browser/User Data, HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\io.llmcp.host",
            "vivaldi,  Local/Vivaldi/User Data,                     HKCU\\Software\\Vivaldi\\NativeMessagingHosts\\io.llmcp.host",
            "firefox,  Roaming/Mozilla/Firefox,                     HKCU\\Software\\Mozilla\\NativeMessagingHosts\\io.llmcp.host",
    })
    void windows(String browser, String detect, String key) {
        InstallEnvironment env = InstallEnvironment.of(Os.WINDOWS, WIN_HOME, WIN_ENV);
        BrowserLocation l = BrowserLocations.of(Browser.byKey(browser), env);
        assertThat(env.dataDir()).isEqualTo(Path.of("/win/Users/ada/AppData/Local/llmcp"));
        assertThat(l.detectDir()).isEqualTo(WIN_HOME.resolve("AppData").resolve(detect));
        // The file lives under the data dir; the registry key tells the browser where.
        assertThat(l.manifestFile()).isEqualTo(env.dataDir().resolve("native-messaging-hosts").resolve(browser).resolve("io.llmcp.host.json"));
        assertThat(l.registryKey()).isEqualTo(key);
    }

    @Test
    void windowsWithoutAppDataVariablesFallsBackToTheProfile() {
        InstallEnvironment env = InstallEnvironment.of(Os.WINDOWS, WIN_HOME, Map.of());
        assertThat(BrowserLocations.of(Browser.EDGE, env).detectDir()).isEqualTo(WIN_HOME.resolve("AppData/Local/Microsoft/Edge/User Data"));
        assertThat(BrowserLocations.of(Browser.FIREFOX, env).detectDir()).isEqualTo(WIN_HOME.resolve("AppData/Roaming/Mozilla/Firefox"));
    }

    @Test
    void linuxChromiumBrowsersFollowAnAbsoluteXdgConfigHomeButFirefoxDoesNot() {
        InstallEnvironment env = InstallEnvironment.of(Os.LINUX, HOME, Map.of("XDG_CONFIG_HOME", "/cfg"));
        assertThat(BrowserLocations.of(Browser.CHROME, env).manifestFile())
                .isEqualTo(Path.of("/cfg/google-chrome/NativeMessagingHosts/io.llmcp.host.json"));
        assertThat(BrowserLocations.of(Browser.FIREFOX, env).manifestFile())
                .isEqualTo(HOME.resolve(".mozilla/native-messaging-hosts/io.llmcp.host.json"));
        InstallEnvironment relative = InstallEnvironment.of(Os.LINUX, HOME, Map.of("XDG_CONFIG_HOME", "cfg"));
        assertThat(BrowserLocations.of(Browser.CHROME, relative).detectDir()).isEqualTo(HOME.resolve(".config/google-chrome"));
    }

    @Test
    void aBrowserIsDetectedWhenItsConfigDirExists(@TempDir Path home) throws Exception {
        InstallEnvironment env = InstallEnvironment.of(Os.LINUX, home, Map.of("LLMCP_HOME", home.resolve("data").toString()));
        assertThat(BrowserLocations.detected(env)).isEmpty();
        Files.createDirectories(home.resolve(".config/google-chrome"));
        Files.createDirectories(home.resolve(".mozilla"));
        Files.createFile(home.resolve(".config/vivaldi")); // a file is not a browser profile
        assertThat(BrowserLocations.detected(env)).extracting(BrowserLocation::browser).containsExactly(Browser.CHROME, Browser.FIREFOX);
    }

    @Test
    void browserListsParse() {
        assertThat(Browser.parseList("all")).isEqualTo(EnumSet.allOf(Browser.class));
        assertThat(Browser.parseList(" Chrome, firefox ")).containsExactly(Browser.CHROME, Browser.FIREFOX);
        assertThatThrownBy(() -> Browser.parseList("chrome,opera"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opera").hasMessageContaining("chrome,chromium,edge,brave,vivaldi,firefox");
        assertThatThrownBy(() -> Browser.parseList(",")).hasMessageContaining("empty");
    }
}
