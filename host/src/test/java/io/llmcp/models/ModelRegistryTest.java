package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobInfo;
import io.llmcp.store.BlobStore;
import io.llmcp.store.StoreOptions;
import io.llmcp.tooling.bench.SyntheticData;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    static final int CHUNK = 4096;

    @TempDir
    Path dir;
    BlobStore store;
    ModelRegistry registry;

    @BeforeEach
    void open() {
        store = BlobStore.open(dir.resolve("store.mv"), StoreOptions.defaults().withChunkSize(CHUNK));
        registry = new ModelRegistry(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    BlobInfo blob(long seed, int chunks) throws Exception {
        byte[] b = new byte[chunks * CHUNK];
        SyntheticData.fill(seed, 0, b, 0, b.length);
        return store.put(new ByteArrayInputStream(b), "https://example.org/" + seed);
    }

    ModelRecord model(String id, long lastUsed, BlobInfo... files) {
        ModelRecord r = new ModelRecord(id, Json.object().put("modelId", id).put("name", "Model " + id), Map.of(), true,
                lastUsed, lastUsed, 0, false, List.of());
        int i = 0;
        for (BlobInfo f : files) r = r.withFile("file" + i++, new ModelFile(f.sha256(), f.size(), f.sourceUrl(), "\"e\"", f.fetchedAt()));
        return registry.putModel(r);
    }

    @Test
    void recordsRoundTripThroughTheStore() throws Exception {
        BlobInfo b = blob(1, 2);
        ModelRecord r = model("m1", 1000, b);
        store.close();
        store = BlobStore.open(dir.resolve("store.mv"), StoreOptions.defaults().withChunkSize(CHUNK));
        registry = new ModelRegistry(store);
        assertThat(registry.getModel("m1")).contains(r);
        assertThat(registry.listModels()).extracting(ModelRecord::modelId).containsExactly("m1");
        assertThat(registry.recordLoad("m1")).isTrue();
        ModelRecord t = registry.getModel("m1").orElseThrow();
        assertThat(t.loadCount()).isEqualTo(1);
        assertThat(t.lastUsed()).isGreaterThan(1000);
        assertThat(registry.recordLoad("nope")).isFalse();
        assertThat(registry.pin("m1", true).pinned()).isTrue();
        assertThatThrownBy(() -> registry.pin("nope", true))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND)));
    }

    @Test
    void theSameBlobUnderTwoModelsIsStoredOnceAndFreedWithTheLastModel() throws Exception {
        BlobInfo b = blob(2, 5);
        model("a", 1, b);
        long stored = store.stats().storedBytes();
        BlobInfo again = blob(2, 5); // the second pull of the same file: nothing new
        model("b", 2, again);
        assertThat(store.stats().storedBytes()).isEqualTo(stored);
        assertThat(registry.deleteModel("a")).isZero();
        assertThat(registry.verify("b")).allMatch(ModelRegistry.FileCheck::ok);
        assertThat(registry.deleteModel("b")).isEqualTo(5L * CHUNK);
        assertThat(registry.deleteModel("b")).isEqualTo(-1);
        assertThat(store.stats().chunkCount()).isZero();
    }

    @Test
    void replacingAFileFreesTheOldBlob() throws Exception {
        BlobInfo v1 = blob(3, 2);
        BlobInfo v2 = blob(4, 2);
        model("m", 1, v1);
        registry.addFile("m", "file0", new ModelFile(v2.sha256(), v2.size(), null, null, 0));
        assertThat(store.findBlob(v1.sha256())).isEmpty();
        assertThat(store.stats().storedBytes()).isEqualTo(2L * CHUNK);
    }

    @Test
    void deleteAlsoDropsUnfinishedDownloadsOfTheModel() {
        try (var p = store.openPartial("m/onnx/model.onnx")) {
            p.write(java.nio.ByteBuffer.wrap(new byte[3 * CHUNK]));
        }
        registry.putModel(ModelRecord.create("m", Json.object()));
        registry.deleteModel("m");
        assertThat(store.partialKeys()).isEmpty();
        assertThat(store.stats().storedBytes()).isZero();
    }

    @Test
    void quotaEvictsLeastRecentlyUsedSkippingPinnedAndInUse() throws Exception {
        model("pinned-oldest", 100, blob(10, 4));
        registry.pin("pinned-oldest", true);
        model("busy-old", 200, blob(11, 4));
        model("idle-middle", 300, blob(12, 4));
        model("newest", 400, blob(13, 4));
        registry.setInUse(id -> id.equals("busy-old"));

        assertThat(registry.setQuota(3L * 4 * CHUNK)).containsExactly("idle-middle");
        assertThat(registry.quotaBytes()).isEqualTo(3L * 4 * CHUNK);
        assertThat(registry.getModel("idle-middle")).isEmpty();
        // tighter than what pinned + in-use need: everything else goes, those two stay
        assertThat(registry.setQuota(4L * CHUNK)).containsExactly("newest");
        assertThat(registry.listModels()).extracting(ModelRecord::modelId).containsExactly("busy-old", "pinned-oldest");
        registry.setInUse(null);
        assertThat(registry.enforceQuota(null)).containsExactly("busy-old");
        assertThat(registry.setQuota(0)).isEmpty();
    }

    @Test
    void enforceQuotaKeepsTheModelJustPulled() throws Exception {
        model("old", 5, blob(20, 4));
        assertThat(registry.setQuota(6L * CHUNK)).isEmpty();
        model("just-pulled", 2, blob(21, 4)); // older lastUsed (record made when its pull began), but just finished
        assertThat(registry.enforceQuota("just-pulled")).containsExactly("old");
        assertThat(registry.listModels()).extracting(ModelRecord::modelId).containsExactly("just-pulled");
    }

    @Test
    void ensureRoomEvictsForAPullOrRefusesWithQuotaExceeded() throws Exception {
        model("pinned", 1, blob(40, 4));
        registry.pin("pinned", true);
        model("old", 2, blob(41, 4));
        model("recent", 3, blob(42, 4));
        registry.setQuota(12L * CHUNK);
        assertThatThrownBy(() -> registry.ensureRoom(9L * CHUNK, "incoming"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.QUOTA_EXCEEDED);
                    assertThat(e.data().path("neededBytes").asLong()).isEqualTo(9L * CHUNK);
                }));
        assertThat(registry.listModels()).hasSize(3); // a refused pull evicts nothing
        assertThat(registry.ensureRoom(4L * CHUNK, "incoming")).containsExactly("old");
        assertThat(registry.ensureRoom(4L * CHUNK, "incoming")).isEmpty();
    }

    @Test
    void gcKeepsEveryNamedBlob() throws Exception {
        BlobInfo named = blob(30, 3);
        model("m", 1, named);
        assertThat(registry.gc().orphanChunks()).isZero();
        assertThat(registry.liveBlobs()).isEqualTo(Set.of(named.sha256()));
        assertThat(store.verifyBlob(named.sha256())).isNull();
    }

    @Test
    void quotaEvictionGivesTheFileBackToTheFileSystem() throws Exception {
        store.close();
        store = BlobStore.open(dir.resolve("big.mv"), StoreOptions.defaults());
        registry = new ModelRegistry(store);
        BlobInfo[] blobs = new BlobInfo[2];
        for (int k = 0; k < 2; k++) {
            byte[] b = new byte[24 << 20];
            SyntheticData.fill(100 + k, 0, b, 0, b.length);
            blobs[k] = store.put(new ByteArrayInputStream(b), "https://example.org/big" + k);
        }
        model("old", 1000, blobs[0]);
        model("new", 2000, blobs[1]);
        assertThat(registry.setQuota(30L << 20)).containsExactly("old");
        var s = store.stats();
        assertThat((double) s.fileBytes() / s.storedBytes()).as("file %d, stored %d", s.fileBytes(), s.storedBytes())
                .isLessThanOrEqualTo(1.05);
    }
}
