package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.app.DataDir;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineLauncherTest {
    @Test
    void theEngineGetsASessionOfItsOwnWhereThePlatformAllows() {
        assertThat(EngineLauncher.detachPrefix(DataDir.Os.LINUX, Set.of(Path.of("/usr/bin/setsid"))::contains))
                .containsExactly("/usr/bin/setsid");
        List<String> mac = EngineLauncher.detachPrefix(DataDir.Os.MAC, Set.of(Path.of("/usr/bin/perl"))::contains);
        assertThat(mac).startsWith("/usr/bin/perl", "-MPOSIX", "-e");
        assertThat(mac.get(3)).contains("POSIX::setsid()").contains("exec @ARGV");
        assertThat(EngineLauncher.detachPrefix(DataDir.Os.WINDOWS, p -> true)).isEmpty();
        assertThat(EngineLauncher.detachPrefix(DataDir.Os.LINUX, p -> false)).isEmpty();
    }

    @Test
    void thePerlFallbackReallyStartsANewSession() throws Exception {
        List<String> prefix = EngineLauncher.detachPrefix(DataDir.Os.MAC, p -> p.toString().equals("/usr/bin/perl")
                && java.nio.file.Files.isExecutable(p));
        org.junit.jupiter.api.Assumptions.assumeFalse(prefix.isEmpty(), "no perl here");
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(List.of("sh", "-c", "cut -d' ' -f6 /proc/$$/stat; echo $$"));
        Process p = new ProcessBuilder(cmd).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(lines.size() == 2, "no /proc here");
        assertThat(lines.get(0)).isEqualTo(lines.get(1)); // session id == its own pid: a new session
    }

    @Test
    void configuredJvmOptionsComeFromTheEngineSectionAndABrokenConfigAddsNone() {
        assertThat(EngineLauncher.configuredJvmOptions(() -> Map.of("jvmOptions", List.of("-Xmx2g", "-Dx=1"))))
                .containsExactly("-Xmx2g", "-Dx=1");
        // element text as the JSON reads: a scalar as written, null as "null", a container as nothing
        assertThat(EngineLauncher.configuredJvmOptions(() -> Map.of("jvmOptions", Arrays.asList(1, null, List.of()))))
                .containsExactly("1", "null", "");
        assertThat(EngineLauncher.configuredJvmOptions(() -> Map.of("jvmOptions", "-Xmx2g"))).isEmpty();
        assertThat(EngineLauncher.configuredJvmOptions(Map::of)).isEmpty();
        assertThat(EngineLauncher.configuredJvmOptions(() -> {
            throw new IllegalStateException("config file is not valid JSON");
        })).isEmpty();
        assertThat(EngineLauncher.jvmOptions(List.of("-Dmine=1"))).endsWith("-Dmine=1");
    }
}
