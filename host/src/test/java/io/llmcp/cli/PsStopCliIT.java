package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.EngineReaper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmcp ps} and {@code llmcp stop} from the real jar, through one engine: a model an earlier command loaded is
 * listed with its memory and keep-alive until stopped, then gone; stopping what is not loaded says so and exits 1.
 */
class PsStopCliIT {
    static final String MINILM = "all-minilm-l6-v2";

    @TempDir
    Path home;

    @AfterEach
    void stopEngines() throws Exception {
        EngineReaper.stopEngines(home);
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(home).run(args);
    }

    @Test
    void psListsWhatTheEngineHoldsAndStopUnloadsIt() throws Exception {
        CliRun.Result empty = llmcp("ps");
        assertThat(empty.exit()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("No model is loaded");

        assertThat(llmcp("embed", MINILM, "hello").exit()).isZero(); // loads it in the engine, kept for the default 300 s

        CliRun.Result json = llmcp("ps", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode sessions = json.json().path("sessions");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).path("modelId").asText()).isEqualTo(MINILM);
        assertThat(sessions.get(0).path("bytes").asLong()).isPositive();
        assertThat(json.json().path("budgetBytes").asLong()).isPositive();

        CliRun.Result table = llmcp("ps");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("MODEL", "MEMORY", MINILM, "idle", "CPU").containsPattern("in [0-9]+ (min|s)")
                .contains("1 loaded");
        assertThat(table.err()).doesNotContain("WARN");

        CliRun.Result stop = llmcp("stop", MINILM);
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("stopped " + MINILM);
        assertThat(llmcp("ps", "--json").json().path("sessions")).isEmpty();

        CliRun.Result again = llmcp("stop", MINILM);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains(MINILM + " is not loaded");
        assertThat(again.out()).isEmpty();
    }
}
