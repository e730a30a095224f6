package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmcp.testing.CliRun;
import io.llmcp.testing.RepoServer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmcp pull --no-engine} on a really full file system (a 32 MiB tmpfs; needs root to mount, skipped
 * otherwise): every pull on the full disk ends with -32013 and no stack trace, and once space is freed the next
 * pull works and the earlier model still verifies.
 */
class DiskFullCliIT {
    @TempDir
    Path tmp;
    Path home;
    boolean mounted;
    RepoServer small;
    RepoServer big;

    static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @BeforeEach
    void mount() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        mounted = run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", home.toString());
        assumeTrue(mounted, "cannot mount a tmpfs here");
        small = repo(3 << 20, 1);
        big = repo(12 << 20, 2);
    }

    @AfterEach
    void unmount() throws Exception {
        if (small != null) small.close();
        if (big != null) big.close();
        if (mounted) run("umount", "-l", home.toString());
    }

    static RepoServer repo(int size, long seed) throws Exception {
        byte[] w = new byte[size];
        new Random(seed).nextBytes(w);
        return new RepoServer().put("onnx/model.onnx", w)
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8));
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(home).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString())
                .jvm("-XX:TieredStopAtLevel=1").run(args);
    }

    /** Fills the file system but {@code leave} bytes. */
    Path fill(String name, long leave) throws Exception {
        Path filler = home.resolve(name);
        long free = Files.getFileStore(home).getUsableSpace();
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            for (long n = 0; n < free - leave; n += buf.capacity()) {
                buf.clear();
                if (free - leave - n < buf.capacity()) buf.limit((int) (free - leave - n));
                try {
                    ch.write(buf);
                } catch (java.io.IOException full) {
                    break;
                }
            }
        }
        return filler;
    }

    @Test
    void pullsOnAFullDiskSayDiskFullAndThePullAfterFreeingSpaceWorks() throws Exception {
        CliRun.Result a = llmcp("pull", small.baseUrl("org/a"), "--id", "a", "--json", "--no-engine");
        assertThat(a.exit()).as(a.err()).isZero();
        Path filler = fill("filler.bin", 4 << 20);
        Path rest = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            // first with a little room (the pull fills it), then with none at all
            if (attempt == 2) rest = fill("rest.bin", 0);
            CliRun.Result b = llmcp("pull", big.baseUrl("org/b"), "--id", "b", "--no-engine");
            System.out.println("attempt " + attempt + ": " + b.err());
            assertThat(b.exit()).as(b.err()).isNotZero();
            assertThat(b.err()).as("attempt " + attempt).contains("-32013").doesNotContain("-32603").doesNotContain("\tat ");
        }
        CliRun.Result list = llmcp("list", "--json", "--no-engine");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.json().path("models").toString()).contains("\"a\"");

        Files.delete(filler);
        Files.delete(rest);
        CliRun.Result b = llmcp("pull", big.baseUrl("org/b"), "--id", "b", "--json", "--no-engine");
        assertThat(b.exit()).as(b.err()).isZero();
        for (String id : new String[] {"a", "b"}) {
            CliRun.Result v = llmcp("verify", id, "--json", "--no-engine");
            assertThat(v.exit()).as(v.err()).isZero();
            assertThat(v.json().path("ok").asBoolean()).as(id).isTrue();
        }
    }
}
