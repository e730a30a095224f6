package io.llmcp.cli;

import org.junit.jupiter.api.AfterEach;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.models.ModelFile;
import io.llmcp.models.ModelRecord;
import io.llmcp.models.ModelRegistry;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobInfo;
import io.llmcp.store.BlobStore;
import io.llmcp.store.StoreOptions;
import io.llmcp.store.Stores;
import io.llmcp.tooling.bench.SyntheticData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.EngineReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store commands of the real jar against a data dir seeded in this JVM: list, verify, rm, stats, gc, lock error. */
class StoreCliIT {
    @TempDir
    Path home;

    @AfterEach
    void stopEngines() throws Exception {
        EngineReaper.stopEngines(home); // the commands run without --no-engine start one
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(home).run(args);
    }

    void seed() throws Exception {
        try (BlobStore store = BlobStore.open(home.resolve(Stores.FILE_NAME), StoreOptions.defaults())) {
            ModelRegistry registry = new ModelRegistry(store);
            byte[] weights = new byte[5_000_000];
            SyntheticData.fill(1, 0, weights, 0, weights.length);
            BlobInfo w = store.put(new ByteArrayInputStream(weights), "https://example.org/a/onnx/model.onnx");
            BlobInfo c = store.put(new ByteArrayInputStream("{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8)), null);
            for (String id : List.of("model-a", "model-b")) {
                ModelRecord r = ModelRecord.create(id, Json.object().put("modelId", id).put("name", id))
                        .withFile("onnx/model.onnx", new ModelFile(w.sha256(), w.size(), w.sourceUrl(), null, w.fetchedAt()))
                        .withFile("config.json", new ModelFile(c.sha256(), c.size(), null, null, c.fetchedAt()))
                        .withComplete(true);
                registry.putModel(r);
            }
        }
    }

    @Test
    void listVerifyRmStatsGc() throws Exception {
        seed();
        CliRun.Result list = llmcp("list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.json().path("models")).hasSize(2);
        CliRun.Result table = llmcp("list");
        assertThat(table.out()).contains("model-a").contains("5.00 MB").contains("ready");

        CliRun.Result verify = llmcp("verify", "model-a");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("all files verified");

        CliRun.Result stats = llmcp("stats", "--json");
        assertThat(stats.json().path("logicalBytes").asLong()).isEqualTo(2 * (5_000_000L + 21));
        assertThat(stats.json().path("storedBytes").asLong()).isEqualTo(5_000_000L + 21);

        CliRun.Result rm = llmcp("rm", "model-a", "--json");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.json().path("bytesFreed").asLong()).isZero(); // model-b still uses the same blobs
        CliRun.Result rm2 = llmcp("rm", "model-b");
        assertThat(rm2.out()).contains("deleted model-b");
        CliRun.Result missing = llmcp("rm", "model-b");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no model 'model-b'");

        CliRun.Result gc = llmcp("gc", "--compact", "--json");
        assertThat(gc.exit()).as(gc.err()).isZero();
        assertThat(gc.json().path("gc").path("orphanChunks").asLong()).isZero();
        assertThat(gc.json().path("compact").path("fileBytesAfter").asLong())
                .isLessThan(gc.json().path("compact").path("fileBytesBefore").asLong());

        CliRun.Result unknown = llmcp("verify", "nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("error -32004");
    }

    @Test
    void lockedStoreNamesTheHolderPid() throws Exception {
        try (BlobStore held = BlobStore.open(home.resolve(Stores.FILE_NAME), StoreOptions.defaults())) {
            CliRun.Result r = llmcp("stats");
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("error -32010").contains("pid " + ProcessHandle.current().pid());
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(held.stats().blobCount()).isZero();
        }
    }
}
