package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.testing.LocalHost;
import io.llmcp.testing.RepoServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path a chat takes: a built model served on loopback, pulled into the store, generated from it. */
class GenerateFromStoreTest {
    @TempDir
    Path tmp;
    RepoServer repo;
    LocalHost host;

    @BeforeEach
    void pull() throws Exception {
        Path model = TestModels.writeTinyChatModel(tmp.resolve("model"), Variant.KV_CACHE);
        repo = new RepoServer().putDirectory(model);
        host = new LocalHost(tmp.resolve("home"));
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", "tiny-chat").put("url", repo.baseUrl("test/tiny-chat"));
        host.call("models.pull", p);
        host.notifications.clear();
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        repo.close();
    }

    @Test
    void chatMessagesStreamTokensAndTheResultSaysWhatRan() throws Exception {
        ObjectNode p = Json.object().put("modelId", "tiny-chat");
        p.putArray("messages").addObject().put("role", "user").put("content", "Hello 👋");
        p.putObject("params").put("maxNewTokens", 12).put("temperature", 0);
        JsonNode r = host.call("generate", p);
        assertThat(r.get("provider").asText()).isEqualTo("CPU");
        assertThat(r.get("promptTokens").asInt()).isGreaterThan(3);
        assertThat(r.get("generatedTokens").asInt()).isBetween(1, 12);
        assertThat(r.get("finishReason").asText()).isIn("length", "eos", "stop");
        StringBuilder streamed = new StringBuilder();
        host.notifications.stream().filter(n -> n.get("method").asText().equals("generate.token"))
                .forEach(n -> streamed.append(n.get("text").asText()));
        assertThat(streamed.toString()).isEqualTo(r.get("text").asText());

        JsonNode sessions = host.call("sessions.list", null);
        assertThat(sessions.get("sessions")).anyMatch(s -> s.get("modelId").asText().equals("tiny-chat"));
        JsonNode listed = host.call("models.list", null);
        assertThat(listed.get("models").get(0).get("loadCount").asLong()).isGreaterThanOrEqualTo(1);
    }

    /**
     * A cold request says it is loading (generate.loading) before any token and reports the wait apart from the
     * first token; a warm one does neither. The files written for ORT to map are gone once the session exists.
     */
    @Test
    void aColdRequestAnnouncesTheLoadAndReportsItApartFromTheFirstToken() throws Exception {
        ObjectNode p = Json.object().put("modelId", "tiny-chat").put("prompt", "Once upon a time");
        p.putObject("params").put("maxNewTokens", 3).put("temperature", 0);
        JsonNode cold = host.call("generate", p);
        var methods = host.notifications.stream().map(n -> n.get("method").asText()).toList();
        assertThat(methods.get(0)).isEqualTo("generate.loading");
        assertThat(methods.subList(1, methods.size())).containsOnly("generate.token");
        assertThat(host.notifications.get(0).get("modelId").asText()).isEqualTo("tiny-chat");
        assertThat(cold.get("loadMs").asDouble()).isGreaterThan(0);
        assertThat(cold.get("timeToFirstTokenMs").asDouble()).isGreaterThanOrEqualTo(0);
        try (var left = java.nio.file.Files.walk(tmp.resolve("home"))) {
            assertThat(left.filter(f -> f.toString().contains("mapped") && java.nio.file.Files.isRegularFile(f)))
                    .as("mapped files removed after the load").isEmpty();
        }

        host.notifications.clear();
        JsonNode warm = host.call("generate", p);
        assertThat(host.notifications).noneMatch(n -> n.get("method").asText().equals("generate.loading"));
        assertThat(warm.has("loadMs")).isTrue();
    }

    /**
     * A warm request must not write the store: the model's use is recorded when its session loads (lastUsed, and
     * loadCount counts loads), not on every request — a commit per request would sit in front of every reply.
     */
    @Test
    void warmRequestsDoNotWriteTheModelRecordOnlyLoadsDo() throws Exception {
        ObjectNode p = Json.object().put("modelId", "tiny-chat").put("prompt", "Once upon a time");
        p.putObject("params").put("maxNewTokens", 2).put("temperature", 0);
        host.call("generate", p);
        var loaded = host.host.models().getModel("tiny-chat").orElseThrow();
        assertThat(loaded.loadCount()).isEqualTo(1);
        long storeVersion = host.host.store().version();
        for (int i = 0; i < 3; i++) host.call("generate", p);
        var warm = host.host.models().getModel("tiny-chat").orElseThrow();
        assertThat(warm.loadCount()).as("warm requests are not loads").isEqualTo(1);
        assertThat(warm.lastUsed()).isEqualTo(loaded.lastUsed());
        assertThat(host.host.store().version()).as("no commit on the warm request path").isEqualTo(storeVersion);

        host.call("sessions.unload", Json.object().put("modelId", "tiny-chat"));
        host.call("generate", p);
        var reloaded = host.host.models().getModel("tiny-chat").orElseThrow();
        assertThat(reloaded.loadCount()).isEqualTo(2);
        assertThat(reloaded.lastUsed()).isGreaterThanOrEqualTo(loaded.lastUsed());
    }

    @Test
    void rawPromptsWorkAndTheSameSeedGivesTheSameText() throws Exception {
        ObjectNode p = Json.object().put("modelId", "tiny-chat").put("prompt", "Once upon a time");
        p.putObject("params").put("maxNewTokens", 10).put("temperature", 0.9).put("seed", 42);
        JsonNode a = host.call("generate", p);
        JsonNode b = host.call("generate", p);
        assertThat(a.get("tokenIds")).isEqualTo(b.get("tokenIds"));
    }

    @Test
    void unknownModelsAndBadParamsAreCoded() {
        ObjectNode p = Json.object().put("modelId", "never-pulled").put("prompt", "x");
        assertThatThrownBy(() -> host.call("generate", p))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND)));
        ObjectNode bad = Json.object().put("modelId", "tiny-chat").put("prompt", "x");
        bad.putObject("params").put("temperature", "hot");
        assertThatThrownBy(() -> host.call("generate", bad)).satisfies(coded(e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data().get("field").asText()).isEqualTo("params.temperature");
        }));
    }
}
