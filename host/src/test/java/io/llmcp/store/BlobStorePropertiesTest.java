package io.llmcp.store;

import io.llmcp.tooling.bench.SyntheticData;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties over arbitrary blob sizes, chunk sizes and write boundaries (tiny chunks to hit every edge). */
class BlobStorePropertiesTest {

    interface StoreWork {
        void run(BlobStore store) throws Exception;
    }

    static void withStore(int chunk, StoreWork work) throws Exception {
        Path dir = Files.createTempDirectory("llmcp-prop");
        try (BlobStore store = BlobStore.open(dir.resolve("store.mv"),
                StoreOptions.defaults().withChunkSize(chunk).withCommitBytes(chunk * 3L))) {
            work.run(store);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    @Property(tries = 60)
    void writeThenReadReturnsTheSameBytes(@ForAll @IntRange(min = 0, max = 200_000) int size,
                                          @ForAll @IntRange(min = 16, max = 9000) int chunk,
                                          @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 70_000) Integer> pieces,
                                          @ForAll @IntRange(min = 0, max = 199_999) int windowStart,
                                          @ForAll long seed) throws Exception {
        byte[] b = new byte[size];
        SyntheticData.fill(seed, 0, b, 0, size);
        withStore(chunk, store -> {
            String sha;
            try (PartialBlob p = store.openPartial("prop/file")) {
                int pos = 0;
                for (int i = 0; pos < size; i++) {
                    int n = Math.min(pieces.get(i % pieces.size()), size - pos);
                    p.write(ByteBuffer.wrap(b, pos, n));
                    pos += n;
                }
                sha = p.finish(CrashSafetyTest.sha(b), size).sha256();
            }
            assertThat(store.openBlob(sha).readAllBytes()).isEqualTo(b);
            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            store.readInto(sha, direct);
            assertThat(direct.position()).isEqualTo(size);
            direct.flip();
            byte[] back = new byte[size];
            direct.get(back);
            assertThat(back).isEqualTo(b);
            ByteBuffer verified = ByteBuffer.allocateDirect(size + 3).position(3);
            store.readIntoVerified(sha, verified);
            assertThat(verified.position()).isEqualTo(size + 3);
            byte[] back2 = new byte[size];
            verified.position(3).get(back2);
            assertThat(back2).isEqualTo(b);
            int from = Math.min(windowStart, size);
            int len = Math.min(chunk * 2 + 3, size - from);
            ByteBuffer window = ByteBuffer.allocate(len);
            store.readRange(sha, from, window);
            assertThat(window.array()).isEqualTo(Arrays.copyOfRange(b, from, from + len));
            assertThat(store.verifyBlob(sha)).isNull();
        });
    }

    /**
     * Blobs made of shared segments, some deleted, an interrupted temp ingest left behind: after gc the store holds
     * exactly the distinct chunks of the surviving blobs, and the bytes freed add up to the difference.
     */
    @Property(tries = 40)
    void deleteAndGcFreeExactlyWhatNoOneReferences(
            @ForAll @IntRange(min = 16, max = 600) int chunk,
            @ForAll @Size(min = 1, max = 6) List<@Size(min = 0, max = 5) List<@IntRange(min = 0, max = 4) Integer>> recipes,
            @ForAll @Size(max = 6) Set<@IntRange(min = 0, max = 5) Integer> toDelete,
            @ForAll @IntRange(min = 0, max = 5) int crashedRecipe,
            @ForAll @IntRange(min = 0, max = 1000) int tail) throws Exception {
        // segment k = 3 chunks of seed k, so recipes sharing a segment share chunk-aligned content
        List<byte[]> blobs = new ArrayList<>();
        for (List<Integer> r : recipes) {
            byte[] b = new byte[r.size() * 3 * chunk + tail];
            for (int i = 0; i < r.size(); i++) SyntheticData.fill(r.get(i), 0, b, i * 3 * chunk, 3 * chunk);
            SyntheticData.fill(999, 0, b, r.size() * 3 * chunk, tail);
            blobs.add(b);
        }
        withStore(chunk, store -> {
            List<String> shas = new ArrayList<>();
            for (byte[] b : blobs) shas.add(store.put(new ByteArrayInputStream(b), null).sha256());
            byte[] crashed = blobs.get(crashedRecipe % blobs.size());
            PartialBlob p = store.openPartial(BlobStore.PUT_PREFIX + "crashed");
            p.write(ByteBuffer.wrap(crashed));
            p.close(); // committed full chunks stay under a temp key, like a put killed before its manifest

            long storedBefore = store.stats().storedBytes();
            long freed = 0;
            Set<String> live = new HashSet<>(shas);
            for (int i : toDelete) {
                if (i >= shas.size()) continue;
                // identical recipes are one blob: deleting it removes it for each of them
                freed += store.deleteBlob(shas.get(i));
                live.remove(shas.get(i));
            }
            GcResult gc = store.gc(live, 0);
            freed += gc.bytesFreed();

            Set<String> expectedChunks = new HashSet<>();
            long expectedBytes = 0;
            for (int i = 0; i < blobs.size(); i++) {
                if (!live.contains(shas.get(i))) continue;
                byte[] b = blobs.get(i);
                for (int off = 0; off < b.length; off += chunk) {
                    byte[] c = Arrays.copyOfRange(b, off, Math.min(b.length, off + chunk));
                    if (expectedChunks.add(CrashSafetyTest.sha(c))) expectedBytes += c.length;
                }
            }
            StoreStats after = store.stats();
            assertThat(after.chunkCount()).isEqualTo(expectedChunks.size());
            assertThat(after.storedBytes()).isEqualTo(expectedBytes);
            assertThat(freed).isEqualTo(storedBefore - expectedBytes);
            assertThat(store.gc(live, 0).orphanChunks()).isZero();
            for (int i = 0; i < blobs.size(); i++) {
                if (live.contains(shas.get(i))) assertThat(store.openBlob(shas.get(i)).readAllBytes()).isEqualTo(blobs.get(i));
            }
        });
    }
}
