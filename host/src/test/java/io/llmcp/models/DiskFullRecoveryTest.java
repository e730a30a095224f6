package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.store.DataStore;
import io.llmcp.store.StoreFaults;
import io.llmcp.store.Stores;
import io.llmcp.testing.LocalHost;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk in the middle of a pull: MVStore closes itself; the host answers DISK_FULL (never "store is closed"),
 * keeps answering list/stats/verify from the last commit, and once there is space the next pull works.
 */
class DiskFullRecoveryTest {
    @TempDir
    Path home;
    RepoServer repoA;
    RepoServer repoB;
    LocalHost host;

    static RepoServer repo(String m, int size, long seed) throws Exception {
        return new RepoServer().put("onnx/model.onnx", random(size, seed))
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", ("{\"model\":\"" + m + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() throws Exception {
        repoA = repo("a", 3 << 20, 1);
        repoB = repo("b", 20 << 20, 2);
        host = new LocalHost(home);
    }

    @AfterEach
    void stop() throws Exception {
        StoreFaults.clear(home.resolve(Stores.FILE_NAME));
        host.close();
        repoA.close();
        repoB.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    JsonNode pull(String id) throws Exception {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", id).put("name", id).put("url", (id.equals("a") ? repoA : repoB).baseUrl("org/" + id));
        return host.call("models.pull", p);
    }

    void assertDiskFull(ThrowingRunnable r) {
        assertThatThrownBy(r::run).satisfies(coded(e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCodes.DISK_FULL);
            assertThat(e.getMessage()).contains("no space left");
        }));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aFullDiskFailsWithDiskFullAndTheStoreWorksAgainOnceThereIsSpace() throws Exception {
        pull("a");
        Path file = home.resolve(Stores.FILE_NAME);
        StoreFaults.diskFullAfter(file, 6 << 20);
        assertDiskFull(() -> pull("b"));
        // the store closed itself under the failed write; everything else still answers, from the last commit
        assertThat(host.call("models.list", Json.object()).path("models")).extracting(m -> m.path("modelId").asText())
                .contains("a");
        assertThat(host.call("store.stats", Json.object()).path("blobCount").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(host.call("models.verify", Json.object().put("modelId", "a")).path("ok").asBoolean()).isTrue();
        // still full: every write says so, again and again, never "store is closed"
        assertDiskFull(() -> pull("b"));
        assertDiskFull(() -> new DataStore(host.host.store()).put("k", "{\"v\":1}"));
        assertDiskFull(() -> pull("b"));

        StoreFaults.clear(file); // space freed
        JsonNode b = pull("b");
        assertThat(b.path("modelId").asText()).isEqualTo("b");
        assertThat(host.call("models.verify", Json.object().put("modelId", "a")).path("ok").asBoolean()).isTrue();
        assertThat(host.call("models.verify", Json.object().put("modelId", "b")).path("ok").asBoolean()).isTrue();
        assertThat(host.call("models.has", Json.object().put("modelId", "b")).path("complete").asBoolean()).isTrue();
    }

    @Test
    void aFailedFsyncIsDiskFullTooAndEveryStoreCallSaysSo() throws Exception {
        pull("a");
        Path file = home.resolve(Stores.FILE_NAME);
        StoreFaults.syncFails(file);
        assertDiskFull(() -> new DataStore(host.host.store()).put("k", "{\"v\":1}"));
        assertDiskFull(() -> host.call("models.pin", Json.object().put("modelId", "a").put("pinned", true)));
        assertDiskFull(() -> pull("b"));
        assertThat(host.call("store.stats", Json.object()).path("blobCount").asLong()).isGreaterThanOrEqualTo(3);
        StoreFaults.clear(file);
        assertThat(host.call("models.verify", Json.object().put("modelId", "a")).path("ok").asBoolean()).isTrue();
        pull("b");
        assertThat(host.call("models.verify", Json.object().put("modelId", "b")).path("ok").asBoolean()).isTrue();
    }
}
