package io.llmcp.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.tooling.bench.SyntheticData;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Big chunks never stay in the chunk map's right-most leaf, and their extra pads go with them. */
class ChunkPaddingTest {
    static final int CHUNK = 256 << 10;

    @TempDir
    Path dir;

    @Test
    void afterSmallFilesBigChunksGetExtraPadsThatAreFreedWithThem() throws Exception {
        try (BlobStore store = BlobStore.open(dir.resolve("store.mv"), StoreOptions.defaults().withChunkSize(CHUNK).withCommitBytes(2L * CHUNK))) {
            BlobInfo small1 = store.put(new ByteArrayInputStream("{\"model_type\":\"llama\"}".getBytes()), "config.json");
            BlobInfo small2 = store.put(new ByteArrayInputStream(new byte[1000]), "tokenizer.json");
            byte[] big = new byte[40 * CHUNK];
            SyntheticData.fill(9, 0, big, 0, big.length);
            BlobInfo b = store.put(new ByteArrayInputStream(big), "model.onnx");
            assertThat(store.index().values()).as("the split pattern after small files needed extra pads")
                    .anyMatch(v -> ChunkRef.decode(v).pads() > 1);
            assertThat(store.chunkTable().inRightmostLeaf(ChunkRef.decode(store.index().values().stream()
                    .filter(v -> ChunkRef.decode(v).size() == CHUNK).reduce((x, y) -> y).orElseThrow()).id()))
                    .as("the newest big chunk is out of the right-most leaf").isFalse();
            var s = store.stats();
            assertThat((double) s.fileBytes() / s.storedBytes()).isLessThan(1.05);
            assertThat(store.verifyBlob(b.sha256())).isNull();

            store.deleteBlob(b.sha256());
            store.deleteBlob(small1.sha256());
            store.deleteBlob(small2.sha256());
            assertThat(store.chunkTable().chunks().size()).as("no chunk or pad left behind").isZero();
        }
    }
}
