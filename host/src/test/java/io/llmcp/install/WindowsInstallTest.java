package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.DataDir.Os;
import io.llmcp.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Windows layout, installed for real into temp dirs on any OS, with the registry step checked as reg commands. */
class WindowsInstallTest {
    @TempDir
    Path tmp;
    InstallEnvironment env;
    FakeRegistry registry = new FakeRegistry();
    Path jar;
    Path java = Path.of("C:/Program Files/Java/jdk-17/bin/java.exe");

    @BeforeEach
    void setUp() throws Exception {
        Path profile = Files.createDirectories(tmp.resolve("Users/ada"));
        Path local = profile.resolve("AppData/Local");
        Files.createDirectories(local.resolve("Google/Chrome/User Data"));
        Files.createDirectories(local.resolve("Microsoft/Edge/User Data"));
        Files.createDirectories(profile.resolve("AppData/Roaming/Mozilla/Firefox"));
        env = InstallEnvironment.of(Os.WINDOWS, profile, Map.of("LOCALAPPDATA", local.toString(), "APPDATA", profile.resolve("AppData/Roaming").toString()));
        jar = Files.writeString(tmp.resolve("llmcp-host.jar"), "PK");
    }

    private InstallResult install(boolean dryRun) throws Exception {
        return new Installer(env, registry).install(new Installer.Request(null, List.of(), dryRun, jar, java));
    }

    private static String key(String base) {
        return "HKCU\\Software\\" + base + "\\NativeMessagingHosts\\io.llmcp.host";
    }

    @Test
    void writesBatchLaunchersManifestsUnderTheDataDirAndOneRegistryKeyPerBrowser() throws Exception {
        InstallResult r = install(false);

        Path data = env.dataDir();
        assertThat(data).isEqualTo(tmp.resolve("Users/ada/AppData/Local/llmcp"));
        assertThat(env.hostLauncher().getFileName().toString()).isEqualTo("llmcp-host.bat");
        assertThat(Files.readString(env.hostLauncher())).startsWith("@echo off\r\n").contains(java.toString()).endsWith(" %*\r\n")
                .doesNotContain("LLMCP_HOME"); // the default data dir: nothing to export
        assertThat(env.cliLauncher().getFileName().toString()).isEqualTo("llmcp.bat");

        Path chrome = data.resolve("native-messaging-hosts/chrome/io.llmcp.host.json");
        Path edge = data.resolve("native-messaging-hosts/edge/io.llmcp.host.json");
        Path firefox = data.resolve("native-messaging-hosts/firefox/io.llmcp.host.json");
        assertThat(registry.ran).containsExactly(
                "reg add \"" + key("Google\\Chrome") + "\" /ve /t REG_SZ /d \"" + chrome + "\" /f",
                "reg add \"" + key("Microsoft\\Edge") + "\" /ve /t REG_SZ /d \"" + edge + "\" /f",
                "reg add \"" + key("Mozilla") + "\" /ve /t REG_SZ /d \"" + firefox + "\" /f");
        assertThat(registry.values).containsOnly(
                Map.entry(key("Google\\Chrome"), chrome.toString()),
                Map.entry(key("Microsoft\\Edge"), edge.toString()),
                Map.entry(key("Mozilla"), firefox.toString()));
        // What was run is what was printed.
        assertThat(r.steps()).filteredOn(s -> s.kind().equals("registry")).extracting(Step::target).isEqualTo(registry.ran);

        JsonNode m = Json.MAPPER.readTree(edge.toFile());
        assertThat(m.path("path").asText()).isEqualTo(env.hostLauncher().toString());
        assertThat(m.path("allowed_origins").get(0).asText()).isEqualTo("chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/");
        assertThat(Json.MAPPER.readTree(firefox.toFile()).path("allowed_extensions").get(0).asText()).isEqualTo("llmcp@llmcp.io");
    }

    @Test
    void secondRunRunsNoRegCommandAndDryRunRunsNone() throws Exception {
        InstallResult plan = install(true);
        assertThat(registry.ran).isEmpty();
        assertThat(plan.steps()).filteredOn(s -> s.kind().equals("registry")).extracting(Step::status).containsOnly("would create");

        install(false);
        registry.ran.clear();
        TreeSnapshot before = TreeSnapshot.of(tmp);
        InstallResult again = install(false);
        assertThat(registry.ran).isEmpty();
        assertThat(again.changedAnything()).isFalse();
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);

        // A key someone pointed elsewhere is put back.
        registry.values.put(key("Google\\Chrome"), "C:\\elsewhere.json");
        install(false);
        assertThat(registry.ran).singleElement().satisfies(c -> assertThat(c).startsWith("reg add \"" + key("Google\\Chrome") + "\""));
    }

    @Test
    void uninstallDeletesOnlyKeysThatStillPointAtOurManifests() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tmp);
        new Installer(env, registry).install(new Installer.Request(EnumSet.of(Browser.CHROME, Browser.FIREFOX), List.of(), false, jar, java));
        registry.values.put(key("Mozilla"), "C:\\another\\product.json"); // re-registered by something else since
        registry.ran.clear();

        InstallResult r = new Uninstaller(env, registry).uninstall(false);

        assertThat(registry.ran).containsExactly("reg delete \"" + key("Google\\Chrome") + "\" /f");
        assertThat(registry.values).containsOnly(Map.entry(key("Mozilla"), "C:\\another\\product.json"));
        assertThat(r.steps()).filteredOn(s -> s.target().equals("reg delete \"" + key("Mozilla") + "\" /f")).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("kept"));
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }
}
