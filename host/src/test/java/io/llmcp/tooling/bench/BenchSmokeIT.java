package io.llmcp.tooling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.EngineReaper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code llmcp bench} command of the real jar runs to the end on small sizes and reports figures that are
 * consistent with what it measured (the same SHA-256 on both sides, the same tokens from both loops, positive
 * rates). Speed itself is never asserted here: that is what the benchmarks are for (docs/BENCHMARKS.md).
 */
class BenchSmokeIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @AfterEach
    void stopEngines() throws Exception {
        EngineReaper.stopEngines(tmp.resolve("home"));
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(tmp.resolve("home")).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString())
                .env("TMPDIR", Files.createDirectories(tmp.resolve("tmp")).toString())
                .jvm("-Xmx256m", "-XX:MaxDirectMemorySize=512m").timeout(Duration.ofMinutes(3)).run(args);
    }

    @Test
    void benchStoreReadsBackWhatItIngested() throws Exception {
        CliRun.Result r = llmcp("bench", "store", "--size", "24m", "--reps", "1", "--pull-size", "32m", "--json", "--dir",
                tmp.resolve("store").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode run = r.json().path("runs").get(0);
        assertThat(run.path("sha256").asText()).hasSize(64);
        for (String f : List.of("plainWriteMBps", "storeIngestMBps", "plainReadMBps", "storeReadMBps", "ingestRatio", "readRatio")) {
            assertThat(run.path(f).asDouble()).as(f).isPositive();
        }
        assertThat(run.path("peakHeapAfterGcMiB").asLong()).isLessThanOrEqualTo(256);
        JsonNode pull = r.json().path("pullPath");
        for (String step : List.of("afterPull", "afterSecondPull", "afterRmCompact")) {
            assertThat(pull.path(step).path("ratio").asDouble()).as(step).isBetween(1.0, 1.05);
        }
    }

    @Test
    void benchLoadLoadsEveryVariant() throws Exception {
        CliRun.Result r = llmcp("bench", "load", "--no-smollm", "--size-mb", "4", "--runs", "1", "--json",
                "--work-dir", tmp.resolve("load").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode models = r.json().path("models");
        assertThat(models).extracting(m -> m.path("model").asText()).containsExactly("all-minilm-l6-v2", "matmul-4mb");
        for (JsonNode m : models) {
            for (String variant : LoadBenchCommand.VARIANTS) {
                assertThat(m.path(variant).path("provider").asText()).as(variant).isEqualTo("CPU");
                assertThat(m.path(variant).path("allMillis")).as(variant).hasSize(1);
            }
            assertThat(m.path("timeRatioStore").asDouble()).isPositive();
        }
    }

    @Test
    void benchGenerateProducesTheSameTokensInBothLoops() throws Exception {
        CliRun.Result r = llmcp("bench", "generate", "--tiny", "--runs", "1", "--json", "--model-dir", tmp.resolve("models").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().toString()).contains("\"sameTokens\":true");
    }

    @Test
    void benchProtocolAndProxyRunRoundTrips() throws Exception {
        CliRun.Result protocol = llmcp("bench", "protocol", "--count", "300", "--warmup", "100", "--runs", "1");
        assertThat(protocol.exit()).as(protocol.err()).isZero();
        assertThat(protocol.out()).contains("host.echo");

        CliRun.Result proxy = llmcp("bench", "proxy", "--requests", "400", "--warmup", "100", "--block", "100");
        assertThat(proxy.exit()).as(proxy.err()).isZero();
        assertThat(proxy.out()).contains("proxy + engine socket").contains("stdio");
    }

    @Test
    void benchDownloadFetchesTheSameBytes() throws Exception {
        CliRun.Result r = llmcp("bench", "download", "--size", "16m", "--rounds", "1", "--dir", tmp.resolve("dl").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("plain OkHttp").contains("-> model store").contains("identical in every run");
    }
}
