package io.llmcp.cli;

import org.junit.jupiter.api.AfterEach;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.EngineReaper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmcp embed} from the real jar: the built-in model works offline, errors are coded. */
class EmbedCommandIT {
    @TempDir
    Path home;

    @AfterEach
    void stopEngines() throws Exception {
        EngineReaper.stopEngines(home); // the commands run without --no-engine start one
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(home).run(args);
    }

    @Test
    void embedsWithTheBuiltInModelAndPrintsTheProtocolResult() throws Exception {
        CliRun.Result r = llmcp("embed", "all-minilm-l6-v2", "hello world", "bonjour le monde", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = Json.MAPPER.readTree(r.out());
        assertThat(result.path("dimensions").asInt()).isEqualTo(384);
        assertThat(result.path("vectors")).hasSize(2);
        assertThat(result.path("provider").asText()).isEqualTo("CPU");

        CliRun.Result plain = llmcp("embed", "all-minilm-l6-v2", "hello world");
        assertThat(plain.exit()).isZero();
        assertThat(plain.out().trim().split("\n")).hasSize(1);
        assertThat(Json.MAPPER.readTree(plain.out().trim())).hasSize(384);
        assertThat(plain.err()).contains("1 vectors of 384 dimensions").doesNotContain("WARN");
    }

    @Test
    void unknownModelIsNotFound() throws Exception {
        CliRun.Result r = llmcp("embed", "not-a-model", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("-32004").contains("not downloaded");
    }

    @Test
    void infoReportsThePreferredProvider() throws Exception {
        Files.writeString(home.resolve("config.json"), "{\"inference\":{\"provider\":\"cpu\"}}");
        CliRun.Result r = llmcp("info", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode ort = Json.MAPPER.readTree(r.out()).path("onnxruntime");
        assertThat(ort.path("preferredProvider").asText()).isEqualTo("CPU");
        assertThat(ort.path("providerSetting").asText()).isEqualTo("cpu");
    }
}
