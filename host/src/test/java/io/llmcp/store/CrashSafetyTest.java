package io.llmcp.store;

import io.llmcp.tooling.bench.SyntheticData;
import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.ErrorCodes;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a child JVM in the middle of an ingest, at several points: the parent reopens the store, every
 * committed manifest verifies, nothing older is damaged, and the interrupted ingest resumes from what was
 * committed to the right SHA-256.
 */
class CrashSafetyTest {
    static final int CHUNK = 128 * 1024;
    static final long COMMIT = 512 * 1024;
    static final long SIZE = 12L * 1024 * 1024 + 4321;

    @TempDir
    Path dir;

    static String expectedSha(long seed, long size) {
        MessageDigest md = Hashes.sha256();
        byte[] buf = new byte[1 << 20];
        for (long pos = 0; pos < size; pos += buf.length) {
            int n = (int) Math.min(buf.length, size - pos);
            SyntheticData.fill(seed, pos, buf, 0, n);
            md.update(buf, 0, n);
        }
        return Hashes.hex(md.digest());
    }

    static String sha(byte[] b) {
        return Hashes.hex(Hashes.sha256().digest(b));
    }

    record KillPoint(String name, Predicate<String> when) {
    }

    static long field(String line, int i) {
        return Long.parseLong(line.split(" ")[i]);
    }

    @Test
    void killedIngestLeavesAConsistentStoreAndResumes() throws Exception {
        Path file = dir.resolve("store.mv");
        StoreOptions opts = StoreOptions.defaults().withChunkSize(CHUNK).withCommitBytes(COMMIT);
        byte[] pre = new byte[3 * CHUNK + 11];
        SyntheticData.fill(42, 0, pre, 0, pre.length);
        String preSha;
        try (BlobStore s = BlobStore.open(file, opts)) {
            preSha = s.put(new ByteArrayInputStream(pre), "https://example.org/pre").sha256();
        }
        KillPoint[] points = {
                new KillPoint("right after start", l -> l.startsWith("started")),
                new KillPoint("after the first commit", l -> l.startsWith("progress") && field(l, 2) >= COMMIT),
                new KillPoint("mid-chunk at 5 MiB", l -> l.startsWith("progress") && field(l, 1) >= 5L << 20),
                new KillPoint("at 9 MiB + 2 ms", l -> {
                    if (!l.startsWith("progress") || field(l, 1) < 9L << 20) return false;
                    sleep(2);
                    return true;
                }),
                new KillPoint("while finishing", l -> l.startsWith("finishing")),
                new KillPoint("resumed child, killed again", l -> l.startsWith("progress") && field(l, 1) >= 11L << 20),
        };
        Set<String> finished = new HashSet<>();
        finished.add(preSha);
        for (int round = 0; round < points.length; round++) {
            KillPoint kp = points[round];
            String key = "model-" + round + "/model.onnx";
            long seed = 100 + round;
            long committedSeen = 0;
            if (round == points.length - 1) {
                // a first child gets to ~4 MiB; a second one resumes from there and is killed again
                runAndKill(file, key, seed, l -> l.startsWith("progress") && field(l, 1) >= 4L << 20, round + "a");
            }
            String last = runAndKill(file, key, seed, kp.when(), Integer.toString(round));
            if (last != null && last.startsWith("progress")) committedSeen = field(last, 2);

            String sha = expectedSha(seed, SIZE);
            try (BlobStore s = BlobStore.open(file, opts)) {
                for (BlobInfo b : s.listBlobs()) {
                    assertThat(s.verifyBlob(b.sha256())).as("%s: blob %s", kp.name(), b.sha256()).isNull();
                }
                assertThat(s.openBlob(preSha).readAllBytes()).as(kp.name()).isEqualTo(pre);
                if (s.findBlob(sha).isEmpty()) {
                    try (PartialBlob p = s.openPartial(key)) {
                        long c = p.committedBytes();
                        assertThat(c % CHUNK).as(kp.name()).isZero();
                        assertThat(c).as(kp.name() + ": survived what the child saw committed").isGreaterThanOrEqualTo(committedSeen);
                        byte[] buf = new byte[100_000];
                        for (long pos = c; pos < SIZE; pos += buf.length) {
                            int n = (int) Math.min(buf.length, SIZE - pos);
                            SyntheticData.fill(seed, pos, buf, 0, n);
                            p.write(ByteBuffer.wrap(buf, 0, n));
                        }
                        assertThat(p.finish(sha, SIZE).sha256()).isEqualTo(sha);
                    }
                }
                finished.add(sha);
                assertThat(s.verifyBlob(sha)).as(kp.name()).isNull();
                assertThat(s.partialKeys()).as(kp.name()).isEmpty();
                s.gc(finished, 0);
                assertThat(s.stats().storedBytes()).as(kp.name() + ": gc leaves exactly the blobs' chunks")
                        .isEqualTo(distinctChunkBytes(finished.size(), SIZE, pre.length));
            }
        }
    }

    /** Every blob here is random, so its chunks are distinct: stored bytes = the sum of the blob sizes. */
    static long distinctChunkBytes(int blobs, long size, long preSize) {
        return (blobs - 1) * size + preSize;
    }

    private String runAndKill(Path file, String key, long seed, Predicate<String> when, String tag) throws Exception {
        try (ChildJvm child = ChildJvm.start("128m", dir.resolve("child-" + tag + ".err"), "ingest", file.toString(), key,
                Long.toString(SIZE), Long.toString(seed), Integer.toString(CHUNK), Long.toString(COMMIT))) {
            String line;
            String lastProgress = null;
            while ((line = child.next()) != null) {
                if (line.startsWith("progress")) lastProgress = line;
                if (when.test(line)) break;
            }
            child.kill();
            if (line == null) {
                throw new AssertionError("child ended before its kill point: " + Files.readString(dir.resolve("child-" + tag + ".err")));
            }
            return lastProgress;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void secondProcessGetsALockedErrorNamingThePid() throws Exception {
        Path file = dir.resolve("store.mv");
        try (ChildJvm child = ChildJvm.start("64m", dir.resolve("hold.err"), "hold", file.toString())) {
            String line = child.next();
            assertThat(line).as(Files.readString(dir.resolve("hold.err"))).startsWith("open ");
            long pid = child.process.pid();
            assertThatThrownBy(() -> BlobStore.open(file, StoreOptions.defaults()))
                    .satisfies(coded(e -> {
                        assertThat(e.code()).isEqualTo(ErrorCodes.STORE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("pid " + pid).contains(file.getFileName().toString());
                        assertThat(e.data().path("pid").asLong()).isEqualTo(pid);
                        // the coded error carries the store's own exception, and that one has no cause: no I/O failure behind it
                        assertThat(e.getCause()).isInstanceOf(StoreException.class);
                        assertThat(e.getCause().getCause()).isNull();
                    }));
            // the failed open must not have disturbed the holder: still refused
            assertThatThrownBy(() -> BlobStore.open(file, StoreOptions.defaults())).satisfies(coded());
            child.kill();
        }
        try (BlobStore s = BlobStore.open(file, StoreOptions.defaults())) {
            assertThat(s.stats().blobCount()).isZero(); // a dead holder's stale pid file does not block
        }
    }
}
