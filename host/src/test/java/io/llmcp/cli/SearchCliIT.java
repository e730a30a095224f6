package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.FakeHub;
import java.nio.file.Path;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmcp search} from the real jar against a loopback Hub ({@code HF_ENDPOINT}): results on stdout, progress on stderr. */
class SearchCliIT {
    @TempDir
    Path home;

    @Test
    void printsEachRepoWithItsVariantsGatingAndChatUsability() throws Exception {
        try (MockWebServer hub = FakeHub.start()) {
            CliRun cli = new CliRun(home).env("HF_ENDPOINT", hub.url("/").toString());
            CliRun.Result text = cli.run("search", "qwen", "chat", "--limit", "5", "--no-engine");
            assertThat(text.exit()).as(text.err()).isZero();
            assertThat(text.err()).contains("searching the Hub for \"qwen chat\"");
            assertThat(text.out()).doesNotContain("searching")
                    .contains("onnx-community/Qwen-Chat  5000 downloads  licence apache-2.0")
                    .contains("meta/Gated-Llama").contains("GATED")
                    .contains("q4 500 MB")
                    .contains("not usable for chat: the repository has no tokenizer.json")
                    .contains("cannot list its files")
                    .contains("llmcp pull ORG/REPO --dtype DTYPE");
            assertThat(hub.takeRequest().getRequestUrl().queryParameter("limit")).isEqualTo("5");

            CliRun.Result json = cli.run("search", "qwen", "--json", "--no-engine");
            assertThat(json.exit()).as(json.err()).isZero();
            JsonNode results = json.json().path("results");
            assertThat(results).hasSize(5);
            assertThat(results.get(0).path("chat").path("usable").asBoolean()).isTrue();
            assertThat(json.json().path("availableBytes").asLong()).isPositive();
        }
    }
}
