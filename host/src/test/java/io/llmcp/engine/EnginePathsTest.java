package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnginePathsTest {
    @TempDir
    Path tmp;

    @Test
    void runDirIsXdgRuntimeDirForTheDefaultDataDirElseUnderTheDataDir() {
        Path home = Path.of("/home/u");
        Path defaultData = home.resolve(".local/share/llmcp");
        assertThat(EnginePaths.resolve(defaultData, Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), "Linux", home).runDir())
                .isEqualTo(Path.of("/run/user/1000/llmcp"));
        // another data dir gets its own engine, so an engine never serves the wrong store
        Path other = Path.of("/data/llmcp");
        Path otherRun = EnginePaths.resolve(other, Map.of("XDG_RUNTIME_DIR", "/run/user/1000", "LLMCP_HOME", "/data/llmcp"), "Linux", home).runDir();
        assertThat(otherRun.getParent()).isEqualTo(Path.of("/run/user/1000"));
        assertThat(otherRun.getFileName().toString()).startsWith("llmcp-").isNotEqualTo("llmcp");
        assertThat(EnginePaths.resolve(defaultData, Map.of(), "Linux", home).runDir()).isEqualTo(defaultData.resolve("run"));
        Path win = Path.of("C:/Users/u/AppData/Local/llmcp");
        assertThat(EnginePaths.resolve(win, Map.of("XDG_RUNTIME_DIR", "/x"), "Windows 11", home).runDir()).isEqualTo(win.resolve("run"));
    }

    @Test
    void runDirIsPrivateAndTooLongSocketPathsAreRefusedClearly() throws Exception {
        EnginePaths paths = new EnginePaths(tmp, tmp.resolve("run"));
        Files.createDirectories(paths.runDir());
        Files.setPosixFilePermissions(paths.runDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        paths.ensureRunDir();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.runDir()))).isEqualTo("rwx------");
        EnginePaths deep = new EnginePaths(tmp, tmp.resolve("x".repeat(120)));
        org.assertj.core.api.Assertions.assertThatThrownBy(deep::ensureRunDir).hasMessageContaining("too long");
    }
}
