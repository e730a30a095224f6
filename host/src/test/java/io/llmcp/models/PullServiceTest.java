package io.llmcp.models;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.testing.LocalHost;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** models.pull end to end in one JVM: loopback repo → downloader → store → model record. */
class PullServiceTest {
    @TempDir
    Path home;
    RepoServer repo;
    LocalHost host;
    byte[] weights = random(9 * 1024 * 1024 + 123, 1);

    @BeforeEach
    void start() throws Exception {
        repo = new RepoServer()
                .put("onnx/model.onnx", weights)
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8));
        host = new LocalHost(home);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        repo.close();
    }

    ObjectNode pullParams(String id, String base) {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", id).put("name", id).put("url", base);
        return p;
    }

    @Test
    void pullsEveryFileVerifiesAndRecordsIt() throws Exception {
        JsonNode r = host.call("models.pull", pullParams("tiny", repo.baseUrl("org/tiny")));
        assertThat(r.get("modelId").asText()).isEqualTo("tiny");
        assertThat(r.get("files")).extracting(f -> f.get("path").asText())
                .containsExactlyInAnyOrder("config.json", "onnx/model.onnx", "tokenizer.json");
        JsonNode model = find(r, "onnx/model.onnx");
        assertThat(model.get("sha256").asText()).isEqualTo(RepoServer.sha256(weights));
        assertThat(model.get("bytesDownloaded").asLong()).isEqualTo(weights.length);

        JsonNode has = host.call("models.has", Json.object().put("modelId", "tiny"));
        assertThat(has.get("complete").asBoolean()).isTrue();
        assertThat(host.call("models.verify", Json.object().put("modelId", "tiny")).get("ok").asBoolean()).isTrue();
        assertThat(host.notifications).anyMatch(n -> n.path("state").asText().equals("queued"));
        assertThat(host.notifications).anyMatch(n -> n.path("state").asText().equals("done")
                && n.path("path").asText().equals("onnx/model.onnx"));
        assertThat(host.notifications).allMatch(n -> n.path("modelId").asText().equals("tiny"));
        // one HEAD per file and pull (config.json is asked about before the plan and needed again in it)
        assertThat(repo.requests.stream().filter(q -> "HEAD".equals(q.getMethod()))
                .collect(java.util.stream.Collectors.groupingBy(q -> q.getPath(), java.util.stream.Collectors.counting())))
                .containsEntry("/org/tiny/resolve/main/config.json", 1L).allSatisfy((path, n) -> assertThat(n).as(path).isEqualTo(1L));
    }

    @Test
    void theSameFilesUnderASecondIdDownloadZeroBytesAndStoreNothingNew() throws Exception {
        host.call("models.pull", pullParams("first", repo.baseUrl("org/a")));
        JsonNode before = host.call("store.stats", null);
        long served = repo.bytesServed("onnx/model.onnx");

        JsonNode r = host.call("models.pull", pullParams("second", repo.baseUrl("org/b")));
        assertThat(r.get("bytesDownloaded").asLong()).isZero();
        assertThat(find(r, "onnx/model.onnx").get("linked").asBoolean()).isTrue();
        assertThat(repo.bytesServed("onnx/model.onnx")).isEqualTo(served);
        JsonNode after = host.call("store.stats", null);
        assertThat(after.get("storedBytes").asLong()).isEqualTo(before.get("storedBytes").asLong());
        assertThat(after.get("logicalBytes").asLong()).isGreaterThan(before.get("logicalBytes").asLong());
    }

    @Test
    void withoutAnnouncedShaIdenticalChunksAreStillStoredOnceAndOneChangedChunkIsTheOnlyNewOne() throws Exception {
        repo.announceSha256 = false;
        host.call("models.pull", pullParams("v1", repo.baseUrl("org/v1")));
        long chunks = host.call("store.stats", null).get("chunkCount").asLong();
        long stored = host.call("store.stats", null).get("storedBytes").asLong();

        byte[] changed = weights.clone();
        changed[5 * 1024 * 1024] ^= 1; // inside the second 4 MiB chunk
        repo.put("onnx/model.onnx", changed);
        JsonNode r = host.call("models.pull", pullParams("v2", repo.baseUrl("org/v2")));
        assertThat(find(r, "onnx/model.onnx").get("bytesDownloaded").asLong()).isEqualTo(changed.length);
        JsonNode stats = host.call("store.stats", null);
        assertThat(stats.get("chunkCount").asLong()).isEqualTo(chunks + 1);
        assertThat(stats.get("storedBytes").asLong() - stored).isEqualTo(4L * 1024 * 1024);
    }

    @Test
    void aRepeatedPullFetchesNothingAndCheckUpdateSeesAChange() throws Exception {
        host.call("models.pull", pullParams("tiny", repo.baseUrl("org/tiny")));
        long gets = repo.getCount("onnx/model.onnx");
        JsonNode again = host.call("models.pull", pullParams("tiny", repo.baseUrl("org/tiny")));
        assertThat(again.get("bytesDownloaded").asLong()).isZero();
        assertThat(repo.getCount("onnx/model.onnx")).isEqualTo(gets);

        assertThat(host.call("models.checkUpdate", Json.object().put("modelId", "tiny")).get("updateAvailable").asBoolean()).isFalse();
        repo.put("tokenizer.json", "{\"model\":{\"v\":2}}".getBytes(StandardCharsets.UTF_8));
        JsonNode upd = host.call("models.checkUpdate", Json.object().put("modelId", "tiny"));
        assertThat(upd.get("updateAvailable").asBoolean()).isTrue();
        assertThat(upd.get("files")).anyMatch(f -> f.get("path").asText().equals("tokenizer.json") && f.get("changed").asBoolean());
    }

    @Test
    void aMissingRequiredFileIsA404WithTheUrlAndHostileNamesAreRefused() throws Exception {
        ObjectNode p = pullParams("nope", repo.baseUrl("org/tiny"));
        ((ObjectNode) p.get("config")).put("modelFileName", "onnx/missing.onnx");
        assertThatThrownBy(() -> host.call("models.pull", p)).satisfies(coded(e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
            assertThat(e.getMessage()).contains("onnx/missing.onnx");
        }));
        // A wrong repository leaves no model behind (nor the config.json it fetched first).
        assertThat(host.call("models.has", Json.object().put("modelId", "nope")).get("known").asBoolean()).isFalse();
        assertThat(host.call("models.list", null).get("models")).noneMatch(m -> m.get("modelId").asText().equals("nope"));
        ObjectNode nowhere = pullParams("nowhere", repo.baseUrl("org/tiny"));
        ((ObjectNode) nowhere.get("config")).put("configFileName", "no-such-config.json");
        assertThatThrownBy(() -> host.call("models.pull", nowhere))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND)));
        assertThat(host.call("models.has", Json.object().put("modelId", "nowhere")).get("known").asBoolean()).isFalse();
        assertThat(host.call("store.stats", null).get("logicalBytes").asLong()).isZero();
        ObjectNode evil = pullParams("evil", repo.baseUrl("org/tiny"));
        ((ObjectNode) evil.get("config")).put("modelFileName", "../../etc/passwd");
        assertThatThrownBy(() -> host.call("models.pull", evil))
                .satisfies(coded(e -> assertThat(e.code()).isIn(ErrorCodes.URL_REFUSED, ErrorCodes.INVALID_PARAMS)));
        ObjectNode plain = pullParams("plain", "http://example.com/org/tiny/resolve/main/");
        assertThatThrownBy(() -> host.call("models.pull", plain))
                .satisfies(coded(e -> assertThat(e.code()).isIn(ErrorCodes.URL_REFUSED, ErrorCodes.INVALID_PARAMS)));
    }

    @Test
    void aChatModelWithoutTokenizerIsRefusedBeforeAnyByteOfItsModelFile() throws Exception {
        try (RepoServer noTokenizer = new RepoServer()
                .put("onnx/model.onnx", weights)
                .put("config.json", "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))) {
            assertThatThrownBy(() -> host.call("models.pull", pullParams("mute", noTokenizer.baseUrl("org/mute")))).satisfies(coded(e -> {
                assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                assertThat(e.getMessage()).contains("mute is not usable for chat").contains("tokenizer.json");
                assertThat(e.data().get("missing")).extracting(JsonNode::asText).containsExactly("tokenizer.json");
                assertThat(e.data().get("reason").asText()).isEqualTo("no-tokenizer");
            }));
            assertThat(noTokenizer.requests).as("the model file was asked about, never fetched")
                    .noneMatch(r -> r.getMethod().equals("GET") && r.getPath().endsWith("onnx/model.onnx"));
            assertThat(host.call("models.has", Json.object().put("modelId", "mute")).get("known").asBoolean()).isFalse();
            assertThat(host.call("store.stats", null).get("logicalBytes").asLong()).as("not even its config.json stays").isZero();

            // An encoder (an embedding model) is not judged by what a chat needs.
            noTokenizer.put("config.json", "{\"model_type\":\"bert\"}".getBytes(StandardCharsets.UTF_8));
            JsonNode r = host.call("models.pull", pullParams("encoder", noTokenizer.baseUrl("org/encoder")));
            assertThat(r.get("files")).extracting(f -> f.get("path").asText()).containsExactlyInAnyOrder("config.json", "onnx/model.onnx");
        }
        assertThat(ChatReadiness.generatesText(new ChatReadiness.Kind(java.util.List.of("GPT2LMHeadModel"), null))).isTrue();
        assertThat(ChatReadiness.generatesText(new ChatReadiness.Kind(java.util.List.of("BertModel"), "bert"))).isFalse();
        assertThat(ChatReadiness.generatesText(new ChatReadiness.Kind(null, "qwen3"))).isTrue();
        assertThat(ChatReadiness.generatesText(new ChatReadiness.Kind(null, null))).as("a config that says nothing").isFalse();
    }

    @Test
    void deletingTheModelFreesItsBytes() throws Exception {
        host.call("models.pull", pullParams("tiny", repo.baseUrl("org/tiny")));
        long stored = host.call("store.stats", null).get("storedBytes").asLong();
        JsonNode del = host.call("models.delete", Json.object().put("modelId", "tiny"));
        assertThat(del.get("bytesFreed").asLong()).isGreaterThanOrEqualTo(weights.length);
        assertThat(host.call("store.stats", null).get("storedBytes").asLong()).isLessThan(stored - weights.length + 1);
    }

    private static JsonNode find(JsonNode result, String path) {
        for (JsonNode f : result.get("files")) if (f.get("path").asText().equals(path)) return f;
        throw new AssertionError("no " + path + " in " + result);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
