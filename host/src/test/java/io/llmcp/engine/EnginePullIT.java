package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code models.pull} downloads through proxies, the CLI and one engine, all processes of the built jar,
 * from a throttled loopback repo (24 MiB of random weights at 3 MiB/s: a pull lasts ~8 s, so starting another
 * client's JVM on a busy machine fits inside it): the browser closing mid-pull, the engine SIGKILLed mid-pull,
 * a cancel through the proxy, and three clients sharing one pull.
 */
class EnginePullIT {
    static final String CHROME = EngineIT.CHROME;
    static final int MIB = 1 << 20;
    static final String MODEL = "onnx/model.onnx";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // keeps the logs of a failed test
    Path tmp;
    EngineProcesses procs;
    RepoServer repo;
    final byte[] weights = random(24 * MIB + 1234, 7);
    final String weightsSha = RepoServer.sha256(weights);

    @BeforeEach
    void setUp() throws Exception {
        procs = new EngineProcesses(tmp.resolve("home"), "{\"idleExitSeconds\":60}");
        repo = new RepoServer()
                .put("config.json", "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8))
                .put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8))
                .put(MODEL, weights);
        repo.throttleBytesPerSecond = 3L * MIB;
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            procs.close();
        } finally {
            repo.close();
        }
    }

    ObjectNode pullParams(String id) {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", id).put("name", id).put("url", repo.baseUrl("org/" + id));
        return p;
    }

    static ObjectNode attachParams(String id) {
        return Json.object().put("modelId", id).put("attach", true);
    }

    /** Progress of the weights file at or past {@code bytes}, as the client saw it. */
    static boolean reached(List<JsonNode> progress, long bytes) {
        return progress.stream().map(n -> n.path("params"))
                .anyMatch(p -> p.path("path").asText().equals(MODEL) && p.path("bytesDone").asLong() >= bytes);
    }

    @Test
    void closingTheBrowserDuringAPullLetsItFinishInTheEngineAndANewBrowserCollectsIt() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        a.client.call("models.pull", pullParams("m"), progress::add);
        EngineIT.await(() -> reached(progress, 2L * MIB), "2 MiB of the weights");
        long enginePid = procs.enginePid();
        a.close(); // stdin EOF: the browser closed the port
        assertThat(a.process.exitValue()).isZero();

        EngineProcesses.Proxy c = procs.proxy("--origin", CHROME);
        JsonNode status = c.call("engine.status", null);
        assertThat(status.path("pid").asLong()).isEqualTo(enginePid);
        assertThat(status.path("activeWork")).extracting(j -> j.path("key").asText()).containsExactly("pull:m");
        assertThat(c.call("models.has", Json.object().put("modelId", "m")).path("complete").asBoolean()).isFalse();

        List<JsonNode> cProgress = new CopyOnWriteArrayList<>();
        JsonNode result = c.client.call("models.pull", attachParams("m"), cProgress::add).get(60, TimeUnit.SECONDS);
        JsonNode model = fileIn(result, MODEL);
        assertThat(model.path("sha256").asText()).isEqualTo(weightsSha);
        assertThat(model.path("bytesDownloaded").asLong()).as("one uninterrupted download").isEqualTo(weights.length);
        assertThat(cProgress).extracting(n -> n.path("params").path("state").asText()).contains("downloading", "done");
        assertThat(repo.getCount(MODEL)).isEqualTo(1);

        assertThat(c.call("models.has", Json.object().put("modelId", "m")).path("complete").asBoolean()).isTrue();
        assertThat(c.call("models.verify", Json.object().put("modelId", "m")).path("ok").asBoolean()).isTrue();
        assertThat(c.call("host.info", null).path("pid").asLong()).isEqualTo(enginePid);
        c.close();
    }

    @Test
    void anIdleEngineWithoutClientsStaysUpForADetachedPullAndExitsAfterIt() throws Exception {
        procs = new EngineProcesses(tmp.resolve("idle"), "{\"idleExitSeconds\":1}");
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        a.client.call("models.pull", pullParams("m"), progress::add);
        EngineIT.await(() -> reached(progress, 2L * MIB), "2 MiB of the weights");
        ProcessHandle engine = ProcessHandle.of(procs.enginePid()).orElseThrow();
        a.close(); // no client left: only the pull keeps the engine up
        Thread.sleep(2500); // more than the idle period
        assertThat(engine.isAlive()).as("the engine waits for the pull").isTrue();
        engine.onExit().get(60, TimeUnit.SECONDS); // ...and leaves once it is done and the idle period passed
        assertThat(procs.paths.pidFile()).doesNotExist();

        EngineProcesses.Proxy c = procs.proxy("--origin", CHROME);
        assertThat(c.call("host.info", null).path("pid").asLong()).isNotEqualTo(engine.pid());
        assertThat(c.call("models.has", Json.object().put("modelId", "m")).path("complete").asBoolean()).isTrue();
        assertThat(c.call("models.verify", Json.object().put("modelId", "m")).path("ok").asBoolean()).isTrue();
        assertThat(repo.getCount(MODEL)).as("finished by the first engine, in one download").isEqualTo(1);
        c.close();
    }

    @Test
    void killingTheEngineDuringAPullIsReportedAndTheReissuedPullResumesInANewEngine() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> pull = a.client.call("models.pull", pullParams("m"), progress::add);
        EngineProcesses.Proxy b = procs.proxy("--origin", CHROME); // a second browser watching the same pull
        List<JsonNode> bProgress = new CopyOnWriteArrayList<>();
        EngineIT.await(() -> reached(progress, 1), "the weights to start");
        CompletableFuture<JsonNode> watching = b.client.call("models.pull", attachParams("m"), bProgress::add);
        EngineIT.await(() -> reached(progress, 13L * MIB), "13 MiB of the weights (8 MiB committed)");
        assertThat(bProgress).as("the attached browser gets progress").isNotEmpty();
        long oldPid = procs.enginePid();
        ProcessHandle engine = ProcessHandle.of(oldPid).orElseThrow();
        engine.destroyForcibly(); // SIGKILL
        engine.onExit().get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> pull.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecutionException.class, e -> {
            RpcException rpc = (RpcException) e.getCause();
            assertThat(rpc.code()).isEqualTo(ErrorCodes.ENGINE_UNAVAILABLE);
        });
        assertThatThrownBy(() -> watching.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecutionException.class,
                e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.ENGINE_UNAVAILABLE));
        assertThat(a.process.isAlive()).as("the browser's port stays open").isTrue();
        assertThat(b.process.isAlive()).isTrue();

        int mark = repo.requests.size();
        List<JsonNode> again = new CopyOnWriteArrayList<>();
        JsonNode result = a.client.call("models.pull", pullParams("m"), again::add).get(60, TimeUnit.SECONDS);
        long newPid = a.call("host.info", null).path("pid").asLong();
        assertThat(newPid).isPositive().isNotEqualTo(oldPid);
        assertThat(procs.startLog()).hasSize(2);

        JsonNode model = fileIn(result, MODEL);
        assertThat(model.path("sha256").asText()).isEqualTo(weightsSha);
        RecordedRequest resumed = repo.requests.subList(mark, repo.requests.size()).stream()
                .filter(r -> "GET".equals(r.getMethod()) && r.getPath().endsWith("/" + MODEL)).findFirst().orElseThrow();
        assertThat(resumed.getHeader("Range")).startsWith("bytes=");
        assertThat(resumed.getHeader("If-Range")).isNotNull();
        long offset = Long.parseLong(resumed.getHeader("Range").replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(offset).as("the committed prefix survived the kill").isGreaterThanOrEqualTo(8L * MIB);
        assertThat(model.path("bytesDownloaded").asLong()).isEqualTo(weights.length - offset);
        assertThat(a.call("models.verify", Json.object().put("modelId", "m")).path("ok").asBoolean()).isTrue();
        assertThat(b.call("host.info", null).path("pid").asLong()).as("B reconnects to the new engine").isEqualTo(newPid);
        assertThat(b.call("models.has", Json.object().put("modelId", "m")).path("complete").asBoolean()).isTrue();
        assertThat(procs.startLog()).hasSize(2);
        a.close();
        b.close();
    }

    @Test
    void cancellingAPullThroughTheProxyKeepsItsChunksAndTheNextPullResumesWithIfRange() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> pull = a.client.call("models.pull", pullParams("m"), progress::add);
        long pullId = a.client.lastId();
        EngineIT.await(() -> reached(progress, 13L * MIB), "13 MiB of the weights");
        long seen = progress.stream().map(n -> n.path("params")).filter(p -> p.path("path").asText().equals(MODEL))
                .mapToLong(p -> p.path("bytesDone").asLong()).max().orElseThrow();
        JsonNode cancel = a.call("cancel", Json.object().put("requestId", pullId)); // the proxy maps the id
        assertThat(cancel.path("cancelled").asBoolean()).isTrue();
        assertThatThrownBy(() -> pull.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecutionException.class,
                e -> assertThat(((RpcException) e.getCause()).code()).isEqualTo(ErrorCodes.CANCELLED));

        // at once, as a user clicking "retry": must not join the job that is still winding down
        int mark = repo.requests.size();
        JsonNode result = a.call("models.pull", pullParams("m"));
        JsonNode jobs = a.call("jobs.list", null);
        assertThat(jobs.path("jobs")).extracting(j -> j.path("state").asText()).containsExactly("done");
        RecordedRequest resumed = repo.requests.subList(mark, repo.requests.size()).stream()
                .filter(r -> "GET".equals(r.getMethod()) && r.getPath().endsWith("/" + MODEL)).findFirst().orElseThrow();
        long kept = Long.parseLong(resumed.getHeader("Range").replaceAll("bytes=(\\d+)-", "$1"));
        // closing the ingest stores every whole chunk received, not only the last periodic commit
        assertThat(kept).isGreaterThanOrEqualTo(seen / (4L * MIB) * (4L * MIB)).isLessThan(weights.length);
        assertThat(resumed.getHeader("If-Range")).isEqualTo("\"" + weightsSha.substring(0, 16) + "\"");
        JsonNode model = fileIn(result, MODEL);
        assertThat(model.path("sha256").asText()).isEqualTo(weightsSha);
        assertThat(model.path("bytesDownloaded").asLong()).isEqualTo(weights.length - kept);
        assertThat(a.call("store.stats", null).path("partialCount").asLong()).isZero();
        a.close();
    }

    @Test
    void twoBrowsersAndTheCliShareOnePullWithProgress() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        EngineProcesses.Proxy b = procs.launch(tmp.resolve("llmcp.json").toString(), HostConfig.FIREFOX_EXTENSION_ID);
        List<JsonNode> aProgress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> owner = a.client.call("models.pull", pullParams("m"), aProgress::add);
        EngineIT.await(() -> reached(aProgress, 1), "the weights to start");
        List<JsonNode> bProgress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> attached = b.client.call("models.pull", attachParams("m"), bProgress::add);

        EngineProcesses.CliResult during = procs.cli("list", "--json");
        assertThat(during.exitCode()).isZero();
        assertThat(during.json().path("models")).singleElement()
                .satisfies(m -> assertThat(m.path("complete").asBoolean()).isFalse());
        EngineProcesses.CliResult cliPull = procs.cli("pull", repo.baseUrl("org/m"), "--id", "m", "--json");
        assertThat(cliPull.exitCode()).isZero();
        assertThat(fileIn(cliPull.json(), MODEL).path("sha256").asText()).isEqualTo(weightsSha);

        JsonNode aResult = owner.get(60, TimeUnit.SECONDS);
        JsonNode bResult = attached.get(60, TimeUnit.SECONDS);
        assertThat(bResult).isEqualTo(aResult);
        assertThat(fileIn(aResult, MODEL).path("sha256").asText()).isEqualTo(weightsSha);
        List<JsonNode> bModel = bProgress.stream().map(n -> n.path("params"))
                .filter(p -> p.path("path").asText().equals(MODEL)).toList();
        assertThat(bModel).as("progress reached the attached browser").hasSizeGreaterThan(3);
        assertThat(bModel).extracting(p -> p.path("bytesDone").asLong()).isSorted();
        assertThat(bModel).extracting(p -> p.path("state").asText()).contains("downloading").endsWith("done");
        assertThat(bModel.get(bModel.size() - 1).path("bytesTotal").asLong()).isEqualTo(weights.length);
        assertThat(repo.getCount(MODEL)).as("one download served all three clients").isEqualTo(1);

        EngineProcesses.CliResult after = procs.cli("list", "--json");
        assertThat(after.json().path("models")).singleElement()
                .satisfies(m -> assertThat(m.path("complete").asBoolean()).isTrue());
        assertThat(procs.engineProcesses()).hasSize(1);
        a.close();
        b.close();
    }

    static JsonNode fileIn(JsonNode result, String path) {
        for (JsonNode f : result.path("files")) if (f.path("path").asText().equals(path)) return f;
        throw new AssertionError("no " + path + " in " + result);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
