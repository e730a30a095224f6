package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live state (docs/PROTOCOL.md, "Live state"): whatever one client does to a model — pull, pin, delete, or the quota
 * evicting it — every other introduced client of the engine hears {@code models.changed}, without asking.
 */
class ModelChangesBroadcastTest {
    @TempDir
    Path tmp;

    @Test
    void everyIntroducedClientHearsWhatAnotherClientDidToAModel() throws Exception {
        EnginePaths paths = TestEngine.paths(tmp.resolve("home"));
        try (RepoServer repo = new RepoServer()
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8))
                .put("onnx/model.onnx", new byte[50_000]);
             TestEngine engine = TestEngine.start(paths, 600);
             RpcClient browser = TestEngine.client(paths, SessionHelloTest.ALLOWED, "browser");
             RpcClient terminal = TestEngine.client(paths, "cli", "cli");
             RpcClient stranger = SessionHelloTest.raw(paths)) {
            List<JsonNode> heardByBrowser = new CopyOnWriteArrayList<>();
            List<JsonNode> heardByTerminal = new CopyOnWriteArrayList<>();
            List<JsonNode> heardByStranger = new CopyOnWriteArrayList<>();
            browser.onUnroutedNotification(heardByBrowser::add);
            terminal.onUnroutedNotification(heardByTerminal::add);
            stranger.onUnroutedNotification(heardByStranger::add);

            browser.call("models.pull", pull(repo, "m")).get(30, TimeUnit.SECONDS);
            await(heardByTerminal, "m", "pulled");
            await(heardByBrowser, "m", "pulled");

            terminal.call("models.pin", Json.object().put("modelId", "m").put("pinned", true)).get(30, TimeUnit.SECONDS);
            await(heardByBrowser, "m", "pinned");
            terminal.call("models.pin", Json.object().put("modelId", "m").put("pinned", false)).get(30, TimeUnit.SECONDS);
            await(heardByBrowser, "m", "unpinned");

            terminal.call("models.delete", Json.object().put("modelId", "m")).get(30, TimeUnit.SECONDS);
            JsonNode deleted = await(heardByBrowser, "m", "deleted");
            assertThat(deleted.path("params").has("requestId")).as("it belongs to no request").isFalse();
            assertThat(deleted.path("params").path("at").asLong()).isPositive();

            browser.call("models.pull", pull(repo, "a")).get(30, TimeUnit.SECONDS);
            browser.call("models.pull", pull(repo, "b")).get(30, TimeUnit.SECONDS);
            JsonNode quota = terminal.call("store.setQuota", Json.object().put("bytes", 1)).get(30, TimeUnit.SECONDS);
            assertThat(quota.path("evicted")).extracting(JsonNode::asText).containsExactlyInAnyOrder("a", "b");
            await(heardByBrowser, "a", "evicted");
            await(heardByBrowser, "b", "evicted");

            // The same changes reached the terminal too, in the order they were made.
            await(heardByTerminal, "b", "evicted");
            assertThat(heardByTerminal).extracting(n -> n.path("params").path("modelId").asText() + ":" + n.path("params").path("change").asText())
                    .containsSubsequence("m:pulled", "m:pinned", "m:unpinned", "m:deleted", "a:pulled", "b:pulled");
            assertThat(heardByStranger).as("a connection that never said hello hears nothing").isEmpty();
        }
    }

    static ObjectNode pull(RepoServer repo, String id) {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", id).put("url", repo.baseUrl("org/" + id));
        return p;
    }

    static JsonNode await(List<JsonNode> heard, String modelId, String change) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (JsonNode n : heard) {
                JsonNode p = n.path("params");
                if (n.path("method").asText().equals("models.changed") && p.path("modelId").asText().equals(modelId)
                        && p.path("change").asText().equals(change)) {
                    return n;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no models.changed {" + modelId + ", " + change + "} among " + heard);
    }
}
