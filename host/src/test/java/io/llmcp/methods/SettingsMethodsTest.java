package io.llmcp.methods;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panel's token field: {@code settings.setToken} keeps the token in config.json (owner only) and the running
 * downloader uses it at once, only towards {@code fetch.tokenHosts}; no answer ever carries it.
 */
class SettingsMethodsTest {
    static final String TOKEN = "hf_SecretToken1234abcd";

    @TempDir
    Path home;

    @Test
    void aTokenSetWhileTheHostRunsOpensAGatedRepoAndNeverComesBack() throws Exception {
        try (RepoServer gated = new RepoServer()
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8))
                .put("onnx/model.onnx", new byte[4096]);
             RepoServer elsewhere = new RepoServer()
                     .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                     .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8))
                     .put("onnx/model.onnx", new byte[2048])) {
            gated.requiredBearer = TOKEN;
            String gatedHost = gated.server.getHostName() + ":" + gated.server.getPort();
            Files.writeString(home.resolve("config.json"), "{\"fetch\":{\"tokenHosts\":[\"" + gatedHost + "\"]},\"engine\":{\"idleExitSeconds\":30}}");
            try (LocalHost host = new LocalHost(home)) {
                assertThat(host.call("settings.token", null).path("set").asBoolean()).isFalse();
                assertThatThrownBy(() -> host.call("models.pull", pull("g", gated.baseUrl("org/gated"))))
                        .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED)));

                JsonNode set = host.call("settings.setToken", Json.object().put("token", "  " + TOKEN + " "));
                assertThat(set.path("set").asBoolean()).isTrue();
                assertThat(set.path("source").asText()).isEqualTo("config");
                assertThat(set.path("endsWith").asText()).isEqualTo("abcd");
                assertThat(set.path("hosts")).extracting(JsonNode::asText).containsExactly(gatedHost);
                assertThat(set.toString()).doesNotContain(TOKEN);
                assertThat(host.call("settings.token", null).toString()).doesNotContain(TOKEN);

                // the downloader that refused a moment ago uses it now, with no restart
                host.call("models.pull", pull("g", gated.baseUrl("org/gated")));
                assertThat(host.call("models.has", Json.object().put("modelId", "g")).path("complete").asBoolean()).isTrue();
                host.call("models.pull", pull("e", elsewhere.baseUrl("org/elsewhere")));
                assertThat(elsewhere.requests).as("a host not in fetch.tokenHosts never sees it")
                        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isNull());

                Path file = home.resolve("config.json");
                JsonNode onDisk = Json.MAPPER.readTree(file.toFile());
                assertThat(onDisk.path("fetch").path("token").asText()).isEqualTo(TOKEN);
                assertThat(onDisk.path("engine").path("idleExitSeconds").asInt()).as("the rest of the file is kept").isEqualTo(30);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

                assertThatThrownBy(() -> host.call("settings.setToken", Json.object()))
                        .satisfies(coded(e -> assertThat(e.data().get("field").asText()).isEqualTo("token")));
                assertThatThrownBy(() -> host.call("settings.setToken", Json.object().put("token", "hf_a\r\nX-Evil: 1")))
                        .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS)));
                assertThatThrownBy(() -> host.call("settings.setToken", Json.object().put("token", 42)))
                        .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS)));
                assertThat(host.call("settings.token", null).path("set").asBoolean()).as("refused values change nothing").isTrue();

                JsonNode cleared = host.call("settings.setToken", Json.object().putNull("token"));
                assertThat(cleared.path("set").asBoolean()).isFalse();
                assertThat(Json.MAPPER.readTree(file.toFile()).path("fetch").has("token")).isFalse();
                gated.put("onnx/model.onnx", new byte[8192]); // a change, so the next pull has to ask the server
                assertThatThrownBy(() -> host.call("models.pull", pull("g", gated.baseUrl("org/gated"))))
                        .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED)));
            }
        }
    }

    static ObjectNode pull(String id, String url) {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", id).put("url", url);
        return p;
    }
}
