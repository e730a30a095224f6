package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.DataDir.Os;
import io.llmcp.protocol.Json;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir
    Path tmp;
    InstallEnvironment env;
    Supplier<ObjectNode> ortOk = () -> Json.object().put("loaded", true).put("version", "1.24.2").set("providers", Json.MAPPER.createArrayNode().add("CPU"));

    @BeforeEach
    void install() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".config/google-chrome"));
        Files.createDirectories(home.resolve(".mozilla"));
        env = InstallEnvironment.of(Os.LINUX, home, Map.of("LLMCP_HOME", tmp.resolve("data").toString()));
        Path jar = Files.writeString(tmp.resolve("llmcp-host.jar"), "PK");
        new Installer(env, RegistryAccess.NONE).install(new Installer.Request(null, List.of(), false, jar,
                Path.of(System.getProperty("java.home"), "bin", "java")));
    }

    private List<DoctorCheck> doctor() {
        return new Doctor(env, RegistryAccess.NONE, ortOk, 17, launcher -> Optional.empty()).run();
    }

    private static DoctorCheck check(List<DoctorCheck> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + checks));
    }

    @Test
    void aFreshInstallIsHealthy() {
        List<DoctorCheck> checks = doctor();
        assertThat(checks).allSatisfy(c -> assertThat(c.status()).as(c.toString()).isEqualTo("ok"));
        assertThat(checks).extracting(DoctorCheck::name).containsExactly(
                "java", "launcher", "launcher java", "launcher runs", "config", "manifest chrome", "manifest firefox", "store", "onnxruntime");
        assertThat(Doctor.healthy(checks)).isTrue();
        assertThat(check(checks, "onnxruntime").detail()).contains("1.24.2").contains("CPU");
    }

    @Test
    void aManifestThatIsNotJsonIsReportedWithAFix() throws Exception {
        Files.writeString(BrowserLocations.of(Browser.CHROME, env).manifestFile(), "{ \"name\": \"io.llmcp.host\", ");
        List<DoctorCheck> checks = doctor();
        DoctorCheck c = check(checks, "manifest chrome");
        assertThat(c.status()).isEqualTo("fail");
        assertThat(c.detail()).contains("not valid JSON");
        assertThat(c.fix()).contains("llmcp install --browser chrome");
        assertThat(check(checks, "manifest firefox").status()).isEqualTo("ok");
        assertThat(Doctor.healthy(checks)).isFalse();
    }

    @Test
    void wrongNamePathOrIdsAreEachExplained() throws Exception {
        Path chrome = BrowserLocations.of(Browser.CHROME, env).manifestFile();
        String good = Files.readString(chrome);

        Files.writeString(chrome, good.replace("\"io.llmcp.host\"", "\"io.llmcp.other\""));
        assertThat(check(doctor(), "manifest chrome").detail()).contains("name is 'io.llmcp.other'");

        Files.writeString(chrome, good.replace(env.hostLauncher().toString(), "/usr/bin/true"));
        assertThat(check(doctor(), "manifest chrome").detail()).contains("path is '/usr/bin/true'");

        Files.writeString(chrome, good.replace("elmmfbajkifjcdbkledoobbkbimigcib", "abcdefghijklmnopabcdefghijklmnop"));
        DoctorCheck ids = check(doctor(), "manifest chrome");
        assertThat(ids.status()).isEqualTo("fail");
        assertThat(ids.detail()).contains("does not include the extension's chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/");
    }

    @Test
    void aLauncherThatCannotRunFailsTheLauncherCheck() throws Exception {
        Files.setPosixFilePermissions(env.hostLauncher(), PosixFilePermissions.fromString("rw-r--r--"));
        DoctorCheck c = check(doctor(), "launcher");
        assertThat(c.status()).isEqualTo("fail");
        assertThat(c.detail()).contains("not executable");
        assertThat(c.fix()).contains("chmod 755");

        Files.delete(env.hostLauncher());
        assertThat(check(doctor(), "launcher").detail()).contains("does not exist");
    }

    @Test
    void aDetectedBrowserWithoutManifestIsAWarningAndNoManifestAtAllIsAFailure() throws Exception {
        Files.createDirectories(env.home().resolve(".config/microsoft-edge"));
        DoctorCheck edge = check(doctor(), "manifest edge");
        assertThat(edge.status()).isEqualTo("warn");
        assertThat(edge.fix()).contains("--browser edge");

        new Uninstaller(env, RegistryAccess.NONE).uninstall(false);
        List<DoctorCheck> checks = doctor();
        assertThat(check(checks, "manifests").status()).isEqualTo("fail");
        assertThat(check(checks, "launcher").status()).isEqualTo("fail");
    }

    @Test
    void oldJavaAndMissingOnnxRuntimeFail() {
        Supplier<ObjectNode> ortBroken = () -> Json.object().put("loaded", false).put("error", "ONNX Runtime did not load: UnsatisfiedLinkError");
        List<DoctorCheck> checks = new Doctor(env, RegistryAccess.NONE, ortBroken, 11, launcher -> Optional.empty()).run();
        assertThat(check(checks, "java").status()).isEqualTo("fail");
        assertThat(check(checks, "java").fix()).contains("17");
        assertThat(check(checks, "onnxruntime").status()).isEqualTo("fail");
        assertThat(check(checks, "onnxruntime").detail()).contains("UnsatisfiedLinkError");
    }

    @Test
    void aLockedStoreNamesTheHolder() throws Exception {
        Path store = env.dataDir().resolve(StoreLockProbe.STORE_FILE);
        Files.writeString(store, "mvstore");
        assertThat(check(doctor(), "store").detail()).contains("is free to open");
        try (FileChannel ch = FileChannel.open(store, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            DoctorCheck c = check(doctor(), "store");
            assertThat(c.status()).isEqualTo("warn");
            assertThat(c.detail()).contains("locked by process " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aLauncherThatDoesNotStartFails() {
        List<DoctorCheck> checks = new Doctor(env, RegistryAccess.NONE, ortOk, 17,
                launcher -> Optional.of("'" + launcher + " --version' exited 1: Error: Invalid or corrupt jarfile")).run();
        DoctorCheck c = check(checks, "launcher runs");
        assertThat(c.status()).isEqualTo("fail");
        assertThat(c.detail()).contains("corrupt jarfile");
        assertThat(Doctor.healthy(checks)).isFalse();
    }

    @Test
    void aBrokenConfigFailsAndAnIdTheHostWouldRefuseWarns() throws Exception {
        Path config = env.dataDir().resolve("config.json");
        Files.writeString(config, "{ nope");
        DoctorCheck broken = check(doctor(), "config");
        assertThat(broken.status()).isEqualTo("fail");
        assertThat(broken.fix()).contains(config.toString());

        Files.delete(config);
        Path chrome = BrowserLocations.of(Browser.CHROME, env).manifestFile();
        Files.writeString(chrome, Files.readString(chrome).replace("\"chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/\"",
                "\"chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/\", \"chrome-extension://abcdefghijklmnopabcdefghijklmnop/\""));
        DoctorCheck refused = check(doctor(), "manifest chrome");
        assertThat(refused.status()).isEqualTo("warn");
        assertThat(refused.fix()).isEqualTo("run 'llmcp install --extension-id chrome-extension://abcdefghijklmnopabcdefghijklmnop/'");
    }

    @Test
    void procLocksLinesMapAnInodeToItsHolder() {
        List<String> lines = List.of(
                "1: POSIX  ADVISORY  WRITE 4242 08:01:1234 0 EOF",
                "1: -> POSIX  ADVISORY  WRITE 777 08:01:1234 0 EOF",
                "2: FLOCK  ADVISORY  WRITE 99 00:2a:5678 0 EOF",
                "garbage");
        assertThat(StoreLockProbe.holderFromProcLocks(lines, 1234)).contains(4242L);
        assertThat(StoreLockProbe.holderFromProcLocks(lines, 5678)).contains(99L);
        assertThat(StoreLockProbe.holderFromProcLocks(lines, 1)).isEmpty();
    }
}
