package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmcp pull|list|verify|rm --no-engine} of the real jar against a loopback Hugging Face-like repo. */
class PullCliIT {
    static final String MODEL = "onnx/model.onnx";
    static final String DATA = "onnx/model.onnx_data";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;
    RepoServer repo;
    final byte[] weights = random(5_000_000, 3);
    final byte[] data = random(3_000_000, 4);

    @BeforeEach
    void setUp() throws Exception {
        repo = new RepoServer()
                .put("config.json", "{\"model_type\":\"llama\",\"transformers.js_config\":{\"use_external_data_format\":true}}"
                        .getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8))
                .put(MODEL, weights)
                .put(DATA, data);
    }

    @AfterEach
    void tearDown() throws Exception {
        repo.close();
    }

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(tmp.resolve("home")).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString()).jvm("-XX:TieredStopAtLevel=1").run(args);
    }

    @Test
    void pullListVerifyRmWithoutAnEngine() throws Exception {
        CliRun.Result pull = llmcp("pull", repo.baseUrl("org/tiny"), "--id", "tiny", "--json", "--no-engine");
        assertThat(pull.exit()).as(pull.err()).isZero();
        JsonNode r = pull.json();
        assertThat(r.path("modelId").asText()).isEqualTo("tiny");
        assertThat(r.path("files")).extracting(f -> f.path("path").asText())
                .containsExactlyInAnyOrder("config.json", "tokenizer.json", MODEL, DATA);
        assertThat(file(r, MODEL).path("sha256").asText()).isEqualTo(RepoServer.sha256(weights));
        assertThat(file(r, MODEL).path("size").asLong()).isEqualTo(weights.length);
        assertThat(file(r, DATA).path("sha256").asText()).isEqualTo(RepoServer.sha256(data));
        assertThat(r.path("bytesDownloaded").asLong()).isGreaterThanOrEqualTo((long) weights.length + data.length);
        assertThat(r.path("bytesLinked").asLong()).isZero();
        assertThat(Files.list(tmp.resolve("run"))).as("--no-engine starts no engine").isEmpty();

        CliRun.Result again = llmcp("pull", repo.baseUrl("org/tiny"), "--id", "tiny", "--json", "--no-engine");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().path("bytesDownloaded").asLong()).as("nothing is fetched twice").isZero();
        assertThat(repo.getCount(MODEL)).as(requests()).isEqualTo(1);

        CliRun.Result list = llmcp("list", "--json", "--no-engine");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.json().path("models")).singleElement().satisfies(m -> {
            assertThat(m.path("modelId").asText()).isEqualTo("tiny");
            assertThat(m.path("complete").asBoolean()).isTrue();
        });

        CliRun.Result verify = llmcp("verify", "tiny", "--json", "--no-engine");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.json().path("ok").asBoolean()).isTrue();
        assertThat(verify.json().path("files")).hasSize(4);
        CliRun.Result verifyText = llmcp("verify", "tiny", "--no-engine");
        assertThat(verifyText.out()).contains("all files verified");

        CliRun.Result rm = llmcp("rm", "tiny", "--json", "--no-engine");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.json().path("bytesFreed").asLong()).isGreaterThanOrEqualTo((long) weights.length + data.length);
        CliRun.Result empty = llmcp("list", "--json", "--no-engine");
        assertThat(empty.json().path("models")).isEmpty();
        CliRun.Result gone = llmcp("verify", "tiny", "--no-engine");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err()).contains("error -32004");
    }

    @Test
    void aMissingModelFileIsAClearErrorAndAnHttpUrlToAnotherHostIsRefused() throws Exception {
        CliRun.Result missing = llmcp("pull", repo.baseUrl("org/tiny"), "--id", "x", "--model-file", "onnx/nope.onnx", "--no-engine");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("onnx/nope.onnx").doesNotContain("\tat ");
        CliRun.Result plain = llmcp("pull", "http://example.com/org/tiny/resolve/main/", "--no-engine");
        assertThat(plain.exit()).isNotZero();
        assertThat(plain.err()).containsIgnoringCase("http").doesNotContain("\tat ");
        CliRun.Result list = llmcp("list", "--json", "--no-engine");
        assertThat(list.json().path("models").toString()).doesNotContain("\"complete\":true");
    }

    String requests() {
        return repo.requests.stream().map(r -> r.getMethod() + " " + r.getPath() + " " + r.getHeader("Range"))
                .toList().toString();
    }

    static JsonNode file(JsonNode result, String path) {
        for (JsonNode f : result.path("files")) if (f.path("path").asText().equals(path)) return f;
        throw new AssertionError("no " + path + " in " + result);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
