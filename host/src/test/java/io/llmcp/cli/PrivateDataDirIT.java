package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmcp.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar on an install made world-readable by an older version: one command later it is the user's alone. */
class PrivateDataDirIT {
    @TempDir
    Path tmp;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class).permissions());
    }

    @Test
    void anyCommandTightensTheDataDirStoreAndLogs() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class), "no POSIX permissions here");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path logs = Files.createDirectories(home.resolve("logs"));
        Files.writeString(logs.resolve("llmcp-2020-01-01.log"), "old\n");
        Files.setPosixFilePermissions(logs.resolve("llmcp-2020-01-01.log"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));

        CliRun.Result stats = new CliRun(home).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString())
                .jvm("-XX:TieredStopAtLevel=1").run("stats", "--json", "--no-engine");
        assertThat(stats.exit()).as(stats.err()).isZero();

        assertThat(mode(home)).isEqualTo("rwx------");
        assertThat(mode(home.resolve("store.mv"))).isEqualTo("rw-------");
        assertThat(mode(logs)).isEqualTo("rwx------");
        assertThat(mode(logs.resolve("llmcp-2020-01-01.log"))).isEqualTo("rw-------");
        assertThat(mode(logs.resolve("llmcp-" + LocalDate.now() + ".log"))).isEqualTo("rw-------");
    }
}
