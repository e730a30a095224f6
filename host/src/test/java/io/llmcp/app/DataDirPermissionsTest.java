package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmcp.store.BlobStore;
import io.llmcp.store.StoreOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir, the store, config.json and the logs are the user's alone (POSIX only). */
class DataDirPermissionsTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() throws Exception {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class), "no POSIX permissions here");
    }

    static String mode(Path p) throws Exception {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class);
        return PosixFilePermissions.toString(a.permissions());
    }

    @Test
    void aNewDataDirItsStoreConfigAndLogsAreOwnerOnly() throws Exception {
        Path home = tmp.resolve("a").resolve("llmcp");
        Path logs = DataDir.prepareLogs(home);
        assertThat(mode(home)).isEqualTo("rwx------");
        assertThat(mode(home.getParent())).as("parents created for it too").isEqualTo("rwx------");
        assertThat(mode(logs)).isEqualTo("rwx------");
        assertThat(mode(logs.resolve("llmcp-" + LocalDate.now() + ".log"))).isEqualTo("rw-------");

        try (BlobStore store = BlobStore.open(home.resolve("store.mv"), StoreOptions.defaults())) {
            store.put(new ByteArrayInputStream(new byte[1000]), "x");
            assertThat(mode(home.resolve("store.mv.pid"))).isEqualTo("rw-------");
        }
        assertThat(mode(home.resolve("store.mv"))).isEqualTo("rw-------");

        HostConfig config = HostConfig.load(home);
        config.editableSection("fetch").put("token", "hf_secret");
        config.save();
        assertThat(mode(home.resolve("config.json"))).isEqualTo("rw-------");
    }

    @Test
    void aStoreOpenedInANewDirectoryMakesItPrivate() throws Exception {
        Path dir = tmp.resolve("fresh");
        try (BlobStore store = BlobStore.open(dir.resolve("store.mv"), StoreOptions.defaults())) {
            assertThat(store.file()).exists();
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("store.mv"))).isEqualTo("rw-------");
    }

    @Test
    void anExistingWorldReadableInstallIsTightenedOnStart() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("old"));
        Path logs = Files.createDirectories(home.resolve("logs"));
        for (Path f : new Path[] {home.resolve("store.mv"), home.resolve("config.json"), home.resolve("store.mv.pid"),
                logs.resolve("llmcp-2020-01-01.log"), logs.resolve("engine-stderr.log")}) {
            Files.writeString(f, "x");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDir.prepareLogs(home);

        assertThat(mode(home)).isEqualTo("rwx------");
        assertThat(mode(logs)).isEqualTo("rwx------");
        for (String f : new String[] {"store.mv", "config.json", "store.mv.pid", "logs/llmcp-2020-01-01.log", "logs/engine-stderr.log"}) {
            assertThat(mode(home.resolve(f))).as(f).isEqualTo("rw-------");
        }
    }
}
