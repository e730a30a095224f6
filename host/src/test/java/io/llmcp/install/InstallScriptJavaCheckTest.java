package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** install.sh's Java check, with stand-in {@code java} commands that print a given version (no JVM started). */
@DisabledOnOs(OS.WINDOWS)
class InstallScriptJavaCheckTest {
    static final Path SCRIPTS = Path.of("..", "install").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Path fakeJava(String versionLine) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\necho 'Runtime Environment' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private String[] run(String script, Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", tmp.toString());
        pb.environment().remove("LLMCP_HOME");
        if (javaHome == null) pb.environment().remove("JAVA_HOME");
        else pb.environment().put("JAVA_HOME", javaHome.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "openjdk version \"17.0.15\" 2025-04-15 | 17",
            "openjdk version \"21\" 2023-09-19      | 21",
            "java version \"1.8.0_392\"             | 8",
            "openjdk version \"25-ea\" 2025-09-16   | 25",
    })
    void readsTheJavaFeatureVersion(String line, String major) throws Exception {
        Path java = fakeJava(line.trim());
        String[] r = run(". '" + SCRIPTS.resolve("common.sh") + "'; java_major '" + java + "'", null);
        assertThat(r[1].trim()).isEqualTo(major);
    }

    @Test
    void refusesAnOldJavaAndSaysHowToGetANewOne() throws Exception {
        Path java = fakeJava("openjdk version \"11.0.2\" 2019-01-15");
        String[] r = run("sh '" + SCRIPTS.resolve("install.sh") + "'", java.getParent().getParent());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("needs Java 17 or newer").contains("version 11").contains("JAVA_HOME");
    }

    @Test
    void refusesWhenThereIsNoJavaAtAll() throws Exception {
        Path emptyBin = Files.createDirectories(tmp.resolve("empty"));
        String[] r = run("PATH='" + emptyBin + "'; export PATH; . '" + SCRIPTS.resolve("common.sh") + "'; require_java", null);
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("none was found");
    }
}
