package io.llmcp.store;

import io.llmcp.tooling.bench.SyntheticData;
import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.ErrorCodes;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {
    static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;
    BlobStore store;

    BlobStore open() {
        store = BlobStore.open(dir.resolve("store.mv"), StoreOptions.defaults().withChunkSize(CHUNK).withCommitBytes(4L * CHUNK));
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    static byte[] data(long seed, int size) {
        byte[] b = new byte[size];
        SyntheticData.fill(seed, 0, b, 0, size);
        return b;
    }

    static String sha(byte[] b) {
        return Hashes.hex(Hashes.sha256().digest(b));
    }

    @Test
    void putThenReadBackThreeWays() throws Exception {
        open();
        byte[] b = data(1, 5 * CHUNK + 123);
        BlobInfo info = store.put(new ByteArrayInputStream(b), "https://example.org/x");
        assertThat(info.sha256()).isEqualTo(sha(b));
        assertThat(info.size()).isEqualTo(b.length);
        assertThat(info.chunkCount()).isEqualTo(6);
        assertThat(store.blobSize(info.sha256())).isEqualTo(b.length);
        try (InputStream in = store.openBlob(info.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(b);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length);
        store.readInto(info.sha256(), direct);
        direct.flip();
        byte[] back = new byte[b.length];
        direct.get(back);
        assertThat(back).isEqualTo(b);
        ByteBuffer window = ByteBuffer.allocate(CHUNK + 10);
        store.readRange(info.sha256(), CHUNK - 5, window);
        assertThat(window.array()).isEqualTo(java.util.Arrays.copyOfRange(b, CHUNK - 5, 2 * CHUNK + 5));
        assertThat(store.verifyBlob(info.sha256())).isNull();
        assertThat(store.findBlob(info.sha256())).contains(info);
    }

    @Test
    void emptyBlob() throws Exception {
        open();
        BlobInfo info = store.put(InputStream.nullInputStream(), null);
        assertThat(info.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(store.openBlob(info.sha256()).readAllBytes()).isEmpty();
        assertThat(store.verifyBlob(info.sha256())).isNull();
    }

    @Test
    void sameBlobTwiceStoresNothingNew() throws Exception {
        open();
        byte[] b = data(2, 7 * CHUNK);
        store.put(new ByteArrayInputStream(b), "a");
        StoreStats before = store.stats();
        long fileBefore = before.fileBytes();
        store.put(new ByteArrayInputStream(b), "b");
        StoreStats after = store.stats();
        assertThat(after.storedBytes()).isEqualTo(before.storedBytes());
        assertThat(after.chunkCount()).isEqualTo(before.chunkCount());
        assertThat(after.blobCount()).isEqualTo(1);
        assertThat(after.fileBytes()).isLessThanOrEqualTo(fileBefore + 64 * 1024);
    }

    @Test
    void oneChangedChunkStoresExactlyOneNewChunk() throws Exception {
        open();
        byte[] a = data(3, 8 * CHUNK);
        byte[] b = a.clone();
        b[5 * CHUNK + 17] ^= 1;
        store.put(new ByteArrayInputStream(a), null);
        StoreStats s1 = store.stats();
        BlobInfo ib = store.put(new ByteArrayInputStream(b), null);
        StoreStats s2 = store.stats();
        assertThat(s2.chunkCount() - s1.chunkCount()).isEqualTo(1);
        assertThat(s2.storedBytes() - s1.storedBytes()).isEqualTo(CHUNK);
        assertThat(store.openBlob(ib.sha256()).readAllBytes()).isEqualTo(b);
    }

    @Test
    void sharedChunksAreFreedOnlyWhenTheLastBlobGoes() throws Exception {
        open();
        byte[] a = data(4, 4 * CHUNK);
        byte[] b = a.clone();
        b[0] ^= 1; // shares chunks 1..3
        BlobInfo ia = store.put(new ByteArrayInputStream(a), null);
        BlobInfo ib = store.put(new ByteArrayInputStream(b), null);
        assertThat(store.deleteBlob(ia.sha256())).isEqualTo(CHUNK);
        assertThat(store.openBlob(ib.sha256()).readAllBytes()).isEqualTo(b);
        assertThat(store.deleteBlob(ib.sha256())).isEqualTo(4L * CHUNK);
        assertThat(store.stats().chunkCount()).isZero();
        assertThat(store.gc(Set.of(), 0).orphanChunks()).isZero();
    }

    @Test
    void partialResumesAfterCloseAndReopen() {
        open();
        byte[] b = data(5, 10 * CHUNK + 99);
        try (PartialBlob p = store.openPartial("m/model.onnx")) {
            p.setSource("https://example.org/model.onnx", "\"etag-1\"", b.length);
            p.write(ByteBuffer.wrap(b, 0, 6 * CHUNK + 500));
        }
        store.close();
        open();
        assertThat(store.partialKeys()).containsExactly("m/model.onnx");
        try (PartialBlob p = store.openPartial("m/model.onnx")) {
            assertThat(p.committedBytes()).isEqualTo(6L * CHUNK); // the tail of a closed ingest is dropped
            assertThat(p.sourceUrl()).isEqualTo("https://example.org/model.onnx");
            assertThat(p.etag()).isEqualTo("\"etag-1\"");
            assertThat(p.expectedSize()).isEqualTo(b.length);
            int from = (int) p.committedBytes();
            p.write(ByteBuffer.wrap(b, from, b.length - from));
            BlobInfo info = p.finish(sha(b), b.length);
            assertThat(info.sha256()).isEqualTo(sha(b));
            assertThat(info.sourceUrl()).isEqualTo("https://example.org/model.onnx");
        }
        assertThat(store.partialKeys()).isEmpty();
        assertThat(store.verifyBlob(sha(b))).isNull();
    }

    @Test
    void restartDropsProgressWhenTheServerIgnoredRange() {
        open();
        byte[] b = data(6, 3 * CHUNK);
        try (PartialBlob p = store.openPartial("k")) {
            p.write(ByteBuffer.wrap(data(99, 2 * CHUNK)));
            p.restart();
            assertThat(p.bytesWritten()).isZero();
            p.write(ByteBuffer.wrap(b));
            assertThat(p.finish(sha(b), b.length).sha256()).isEqualTo(sha(b));
        }
        assertThat(store.stats().storedBytes()).isEqualTo(3L * CHUNK);
        assertThat(store.gc(Set.of(sha(b)), 0).orphanChunks()).isZero();
    }

    @Test
    void mismatchRemovesTheBadDataAndSaysSo() {
        open();
        byte[] b = data(7, 3 * CHUNK + 5);
        PartialBlob p = store.openPartial("bad");
        p.write(ByteBuffer.wrap(b));
        assertThatThrownBy(() -> p.finish("00".repeat(32), -1))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.VERIFY_FAILED);
                    assertThat(e.getMessage()).contains("SHA-256").contains("removed");
                    assertThat(e.data().path("actualSha256").asText()).isEqualTo(sha(b));
                }));
        assertThat(store.partialKeys()).isEmpty();
        assertThat(store.stats().chunkCount()).isZero();
        PartialBlob q = store.openPartial("short");
        q.write(ByteBuffer.wrap(b));
        assertThatThrownBy(() -> q.finish(null, b.length + 1L))
                .satisfies(coded(e -> assertThat(e.getMessage()).contains("size")));
        assertThat(store.stats().chunkCount()).isZero();
    }

    @Test
    void secondOpenInTheSameJvmIsRefusedWithoutDroppingTheLock() {
        open();
        assertThatThrownBy(() -> BlobStore.open(dir.resolve("./store.mv"), StoreOptions.defaults()))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.STORE_UNAVAILABLE);
                    assertThat(e.data().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
                }));
        assertThatCode(() -> store.openPartial("x").close()).doesNotThrowAnyException();
        assertThatThrownBy(() -> {
            store.openPartial("y");
            store.openPartial("y");
        }).satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.BUSY)));
    }

    @Test
    void dataMapRoundTrip() {
        open();
        DataStore data = new DataStore(store);
        assertThat(data.put("settings", "{\"a\":1}")).isEqualTo(7);
        assertThat(data.get("settings")).contains("{\"a\":1}");
        assertThat(data.delete("settings")).isTrue();
        assertThat(data.delete("settings")).isFalse();
        assertThat(data.get("settings")).isEmpty();
    }

    @Test
    void gcFreesChunksOfAnInterruptedPutAndCompactionShrinksTheFile() throws Exception {
        open();
        byte[] keep = data(8, 4 * CHUNK);
        BlobInfo kept = store.put(new ByteArrayInputStream(keep), null);
        PartialBlob p = store.openPartial(BlobStore.PUT_PREFIX + "crashed");
        p.write(ByteBuffer.wrap(data(9, 64 * CHUNK)));
        p.close(); // what a killed put leaves: committed chunks under a temp key
        assertThat(store.stats().chunkCount()).isEqualTo(4 + 64);
        GcResult gc = store.gc(Set.of(kept.sha256()), 0);
        assertThat(gc.orphanChunks()).isEqualTo(64);
        assertThat(gc.bytesFreed()).isEqualTo(64L * CHUNK);
        assertThat(gc.partialsRemoved()).isEqualTo(1);
        CompactResult c = store.compact();
        assertThat(c.fileBytesAfter()).isLessThan(c.fileBytesBefore());
        assertThat(c.bytesReclaimed()).isGreaterThan(32L * CHUNK);
        assertThat(store.verifyBlob(kept.sha256())).isNull();
        store.close();
        open();
        assertThat(store.openBlob(kept.sha256()).readAllBytes()).isEqualTo(keep);
    }

    @Test
    void gcRemovesOldUnnamedBlobsButKeepsNamedAndRecentOnes() throws Exception {
        open();
        BlobInfo named = store.put(new ByteArrayInputStream(data(10, CHUNK)), null);
        BlobInfo loose = store.put(new ByteArrayInputStream(data(11, CHUNK)), null);
        assertThat(store.gc(Set.of(named.sha256()), 60_000).blobsRemoved()).isZero();
        GcResult r = store.gc(Set.of(named.sha256()), -1);
        assertThat(r.blobsRemoved()).isEqualTo(1);
        assertThat(r.orphanChunks()).isEqualTo(1);
        assertThat(store.findBlob(loose.sha256())).isEmpty();
        assertThat(store.findBlob(named.sha256())).isPresent();
    }

    @Test
    void closingTheStoreWithARunningIngestKeepsItsProgress() {
        open();
        PartialBlob p = store.openPartial("m/f");
        p.write(ByteBuffer.wrap(data(12, 5 * CHUNK + 7)));
        store.close(); // the worker's in-flight chunk needs the store monitor: must not deadlock
        open();
        try (PartialBlob q = store.openPartial("m/f")) {
            assertThat(q.committedBytes()).isEqualTo(5L * CHUNK);
        }
    }

    @Test
    void optionsFromTheConfigSection() {
        Map<String, Object> section = Map.of("chunkSize", 1 << 20, "commitBytes", 16 << 20, "compress", true);
        StoreOptions o = StoreOptions.from(section);
        assertThat(o.chunkSize()).isEqualTo(1 << 20);
        assertThat(o.commitBytes()).isEqualTo(16 << 20);
        assertThat(o.compress()).isTrue();
        assertThat(o.retentionMillis()).isEqualTo(StoreOptions.defaults().retentionMillis());
        assertThat(StoreOptions.from(Map.of())).isEqualTo(StoreOptions.defaults());
        Map<String, Object> nullAndLong = new HashMap<>(); // a JSON null defaults; a big integer reads as a Long
        nullAndLong.put("cacheMb", null);
        nullAndLong.put("commitBytes", 16L << 30);
        assertThat(StoreOptions.from(nullAndLong)).isEqualTo(StoreOptions.defaults().withCommitBytes(16L << 30));
        assertThatThrownBy(() -> StoreOptions.from(Map.of("chunkSize", 64 << 20)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunkSize");
    }
}
