package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.DataDir.Os;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real installs into a temporary HOME and LLMCP_HOME, in-process, with a small stand-in jar. */
class InstallerTest {
    @TempDir
    Path tmp;
    Path home;
    Path jar;
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    InstallEnvironment env;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        jar = tmp.resolve("build/llmcp-host.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, "PK fake jar".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(home.resolve(".config/google-chrome"));
        Files.createDirectories(home.resolve(".mozilla"));
        env = InstallEnvironment.of(Os.LINUX, home, Map.of("LLMCP_HOME", home.resolve("llmcp-data").toString()));
    }

    private InstallResult install(Set<Browser> browsers, List<String> ids, boolean dryRun) throws Exception {
        return new Installer(env, RegistryAccess.NONE).install(new Installer.Request(browsers, ids, dryRun, jar, java));
    }

    @Test
    void writesJarLaunchersAndAManifestPerDetectedBrowser() throws Exception {
        InstallResult r = install(null, List.of(), false);

        assertThat(r.browsers()).containsExactly("chrome", "firefox");
        Path launcher = env.hostLauncher();
        assertThat(Files.readAllBytes(env.installedJar())).isEqualTo(Files.readAllBytes(jar));
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(Files.isExecutable(env.cliLauncher())).isTrue();
        assertThat(Files.readString(launcher)).contains("LLMCP_HOME='" + env.dataDir() + "'").contains(java.toString())
                .contains(env.installedJar().toString()).contains("\"$@\"");

        for (BrowserLocation l : BrowserLocations.detected(env)) {
            JsonNode m = Json.MAPPER.readTree(l.manifestFile().toFile());
            Path path = Path.of(m.path("path").asText());
            assertThat(path).isAbsolute().isEqualTo(launcher);
            assertThat(Files.isRegularFile(path) && Files.isExecutable(path)).isTrue();
            assertThat(m.path("name").asText()).isEqualTo("io.llmcp.host");
            String expected = l.browser() == Browser.FIREFOX ? HostConfig.FIREFOX_EXTENSION_ID : "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/";
            assertThat(m.path(ManifestTemplates.allowedField(l.browser().family()))).extracting(JsonNode::asText).containsExactly(expected);
        }
        // Only detected browsers get a manifest; nothing is written into Edge's tree.
        assertThat(home.resolve(".config/microsoft-edge")).doesNotExist();
        // Every printed step names a real file and says it was created.
        assertThat(r.steps()).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo("created");
            assertThat(Path.of(s.target())).exists();
        });
        InstallRecord record = InstallRecord.read(env.recordFile()).orElseThrow();
        assertThat(record.manifests()).containsOnlyKeys("chrome", "firefox");
        assertThat(record.launcher()).isEqualTo(launcher.toString());
    }

    @Test
    void installingTwiceChangesNothing() throws Exception {
        install(null, List.of("abcdefghijklmnopabcdefghijklmnop"), false);
        TreeSnapshot before = TreeSnapshot.of(tmp);
        Thread.sleep(20); // a rewrite would show up in the mtimes

        InstallResult again = install(null, List.of("abcdefghijklmnopabcdefghijklmnop"), false);

        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(again.steps()).isNotEmpty().allSatisfy(s -> assertThat(s.status()).isEqualTo("unchanged"));
        assertThat(again.changedAnything()).isFalse();
    }

    @Test
    void dryRunWritesNothingAndPrintsThePlan() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tmp);

        InstallResult plan = install(EnumSet.allOf(Browser.class), List.of("me@example.org"), true);

        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(plan.steps()).extracting(Step::status).containsOnly("would create");
        assertThat(plan.steps()).filteredOn(s -> s.kind().equals("manifest")).hasSize(Browser.values().length);
        assertThat(plan.steps()).filteredOn(s -> s.kind().equals("config")).singleElement()
                .satisfies(s -> assertThat(s.detail()).contains("me@example.org"));
    }

    @Test
    void dryRunAfterAnInstallReportsWhatWouldChange() throws Exception {
        install(null, List.of(), false);
        TreeSnapshot before = TreeSnapshot.of(tmp);
        InstallResult plan = install(Set.of(Browser.CHROME, Browser.EDGE), List.of(), true);
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(plan.steps()).filteredOn(s -> s.kind().equals("manifest")).extracting(Step::status)
                .containsExactly("unchanged", "would create");
    }

    @Test
    void uninstallLeavesOnlyTheDirectoriesThatExistedBefore() throws Exception {
        Files.createDirectories(home.resolve(".config/chromium/NativeMessagingHosts"));
        Path otherHost = Files.writeString(home.resolve(".config/chromium/NativeMessagingHosts/org.other.host.json"), "{}");
        TreeSnapshot before = TreeSnapshot.of(tmp);

        install(EnumSet.allOf(Browser.class), List.of("abcdefghijklmnopabcdefghijklmnop", "me@example.org"), false);
        Path store = Files.writeString(env.dataDir().resolve("store.mv"), "models"); // the store is not ours to remove
        InstallResult removed = new Uninstaller(env, RegistryAccess.NONE).uninstall(false);

        Files.delete(store);
        Files.delete(env.dataDir()); // only the store kept it alive
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(otherHost).exists();
        assertThat(removed.steps()).filteredOn(s -> s.target().equals(env.dataDir().toString())).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("kept"));
    }

    @Test
    void uninstallRemovesEverythingWhenNothingElseWasAdded() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tmp);
        install(null, List.of("me@example.org"), false);
        TreeSnapshot installed = TreeSnapshot.of(tmp);

        InstallResult plan = new Uninstaller(env, RegistryAccess.NONE).uninstall(true);
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(installed);
        assertThat(plan.steps()).extracting(Step::status).containsOnly("would remove");

        new Uninstaller(env, RegistryAccess.NONE).uninstall(false);
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(new Uninstaller(env, RegistryAccess.NONE).uninstall(false).notes()).singleElement()
                .satisfies(n -> assertThat(n).startsWith("Nothing to uninstall"));
    }

    @Test
    void uninstallKeepsAManifestThatAnotherInstallHasTakenOver() throws Exception {
        install(Set.of(Browser.CHROME), List.of(), false);
        InstallEnvironment first = env;
        env = InstallEnvironment.of(Os.LINUX, home, Map.of("LLMCP_HOME", tmp.resolve("second-data").toString()));
        install(Set.of(Browser.CHROME), List.of(), false);

        InstallResult r = new Uninstaller(first, RegistryAccess.NONE).uninstall(false);

        Path manifest = BrowserLocations.of(Browser.CHROME, env).manifestFile();
        assertThat(Json.MAPPER.readTree(manifest.toFile()).path("path").asText()).isEqualTo(env.hostLauncher().toString());
        assertThat(r.steps()).filteredOn(s -> s.target().equals(manifest.toString())).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("kept"));
        assertThat(first.hostLauncher()).doesNotExist();
    }

    @Test
    void aManifestTheRecordDoesNotListIsReportedButKept() throws Exception {
        install(Set.of(Browser.CHROME), List.of(), false);
        Path stray = BrowserLocations.of(Browser.FIREFOX, env).manifestFile();
        Files.createDirectories(stray.getParent());
        Files.writeString(stray, "{}");
        InstallResult r = new Uninstaller(env, RegistryAccess.NONE).uninstall(false);
        assertThat(stray).exists();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).startsWith("Left alone: " + stray));
        assertThat(BrowserLocations.of(Browser.CHROME, env).manifestFile()).doesNotExist();
    }

    @Test
    void extensionIdsReachManifestsAndTheHostsAllowList() throws Exception {
        install(null, List.of("chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "me@example.org"), false);

        assertThat(HostConfig.load(env.dataDir()).allowedOrigins())
                .contains("chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "me@example.org");
        JsonNode chrome = Json.MAPPER.readTree(BrowserLocations.of(Browser.CHROME, env).manifestFile().toFile());
        assertThat(chrome.path("allowed_origins")).extracting(JsonNode::asText).containsExactly(
                "chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/", "chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        JsonNode firefox = Json.MAPPER.readTree(BrowserLocations.of(Browser.FIREFOX, env).manifestFile().toFile());
        assertThat(firefox.path("allowed_extensions")).extracting(JsonNode::asText).containsExactly("llmcp@llmcp.io", "me@example.org");

        // A later plain re-install keeps the ids the person added.
        assertThat(install(null, List.of(), false).changedAnything()).isFalse();
    }

    @Test
    void uninstallTakesBackOnlyTheOriginsItAddedToAnExistingConfig() throws Exception {
        Files.createDirectories(env.dataDir());
        Files.writeString(env.dataDir().resolve("config.json"), "{\"store\":{\"quotaBytes\":5},\"allowedOrigins\":[\"mine@example.org\"]}");
        install(null, List.of("me@example.org", "mine@example.org"), false);
        new Uninstaller(env, RegistryAccess.NONE).uninstall(false);
        JsonNode config = Json.MAPPER.readTree(env.dataDir().resolve("config.json").toFile());
        assertThat(config.path("allowedOrigins")).extracting(JsonNode::asText).containsExactly("mine@example.org");
        assertThat(config.path("store").path("quotaBytes").asInt()).isEqualTo(5);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(tmp);
        assertThatThrownBy(() -> install(null, List.of("not an id"), false)).hasMessageContaining("'not an id' is not an extension id");
        jar = tmp.resolve("missing.jar");
        assertThatThrownBy(() -> install(null, List.of(), false)).hasMessageContaining("missing.jar").hasMessageContaining("mvn");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void noDetectedBrowserStillInstallsTheLauncherAndSaysWhatToDo() throws Exception {
        env = InstallEnvironment.of(Os.LINUX, Files.createDirectories(tmp.resolve("bare")), Map.of("LLMCP_HOME", tmp.resolve("bare-data").toString()));
        InstallResult r = install(null, List.of(), false);
        assertThat(r.browsers()).isEmpty();
        assertThat(env.hostLauncher()).exists();
        assertThat(r.notes().get(0)).contains("No browser detected").contains("--browser");
    }

    @Test
    void macOsInstallWritesIntoApplicationSupport() throws Exception {
        Path macHome = Files.createDirectories(tmp.resolve("mac"));
        Files.createDirectories(macHome.resolve("Library/Application Support/Google/Chrome"));
        Files.createDirectories(macHome.resolve("Library/Application Support/Firefox"));
        env = InstallEnvironment.of(Os.MAC, macHome, Map.of());
        assertThat(env.dataDir()).isEqualTo(macHome.resolve("Library/Application Support/llmcp"));

        InstallResult r = install(null, List.of(), false);

        assertThat(r.browsers()).containsExactly("chrome", "firefox");
        Path support = macHome.resolve("Library/Application Support");
        for (Path m : List.of(support.resolve("Google/Chrome/NativeMessagingHosts/io.llmcp.host.json"),
                support.resolve("Mozilla/NativeMessagingHosts/io.llmcp.host.json"))) {
            assertThat(Json.MAPPER.readTree(m.toFile()).path("path").asText()).isEqualTo(support.resolve("llmcp/bin/llmcp-host").toString());
        }
        // The default data dir: the launcher has nothing to export.
        assertThat(Files.readString(env.hostLauncher())).doesNotContain("LLMCP_HOME");
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("~/.zprofile"));
    }

    @Test
    void aChromiumProfileStartedWithUserDataDirGetsItsOwnManifest() throws Exception {
        Path profile = tmp.resolve("profile");
        TreeSnapshot before = TreeSnapshot.of(tmp);
        InstallResult r = new Installer(env, RegistryAccess.NONE).install(
                new Installer.Request(null, List.of(), false, jar, java, profile));

        Path manifest = profile.resolve("NativeMessagingHosts/io.llmcp.host.json");
        assertThat(Json.MAPPER.readTree(manifest.toFile()).path("path").asText()).isEqualTo(env.hostLauncher().toString());
        assertThat(r.browsers()).containsExactly("chromium");
        // Only that profile: the detected browsers' own locations are left alone.
        assertThat(BrowserLocations.of(Browser.CHROME, env).manifestFile()).doesNotExist();

        new Uninstaller(env, RegistryAccess.NONE).uninstall(false);
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);

        assertThatThrownBy(() -> new Installer(env, RegistryAccess.NONE).install(
                new Installer.Request(Set.of(Browser.FIREFOX), List.of(), false, jar, java, profile)))
                .hasMessageContaining("Chromium-family");
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void pathHintIsShellSpecificOrSilentWhenAlreadyOnPath() {
        assertThat(new Installer(env, RegistryAccess.NONE).pathHint()).contains("export PATH=\"" + env.binDir() + ":$PATH\"");
        InstallEnvironment onPath = new InstallEnvironment(Os.LINUX, home, Map.of("PATH", "/usr/bin:" + env.binDir()), env.dataDir());
        assertThat(new Installer(onPath, RegistryAccess.NONE).pathHint()).contains("is on your PATH");
    }
}
