package io.llmcp.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import io.llmcp.store.StoreOptions;
import io.llmcp.testing.HostProcess;
import io.llmcp.testing.RepoServer;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar ({@code native-host --no-engine}) pulling a 52 MiB model (weights plus one external-data file)
 * from a throttled loopback repo, killed with SIGKILL at six points of the same pull: early (nothing durable
 * yet), mid-file, right after a commit boundary, near the end of the first file, the moment it reports done
 * (between the blob's commit and the model record naming it) and inside the second file.
 * After each kill a fresh host must open the store, its finished files must verify, its numbers must add up,
 * and the pull must resume from the durable prefix (a {@code Range} from a chunk boundary, guarded by
 * {@code If-Range}) — finally ending with the right SHA-256 for every file.
 */
class PullCrashIT {
    static final int MIB = 1 << 20;
    static final long CHUNK = StoreOptions.DEFAULT_CHUNK;
    static final long COMMIT = StoreOptions.defaults().commitBytes();
    static final String MODEL = "onnx/model.onnx";
    static final String DATA = "onnx/model.onnx_data";
    static final String CONFIG = "config.json";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // keeps the hosts' logs of a failed run
    Path tmp;
    Path home;
    Path runtimeDir;
    RepoServer repo;
    final List<Child> children = new ArrayList<>();
    final Map<String, byte[]> files = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        runtimeDir = Files.createDirectories(tmp.resolve("xdg-runtime"));
        files.put(CONFIG, "{\"model_type\":\"llama\",\"transformers.js_config\":{\"use_external_data_format\":1}}"
                .getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8)); // a chat model needs one to be pulled
        files.put(MODEL, random(24 * MIB + 12_345, 1));
        files.put(DATA, random(28 * MIB + 777, 2));
        repo = new RepoServer();
        files.forEach(repo::put);
        repo.throttleBytesPerSecond = 6L * MIB;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Child c : children) c.kill();
        repo.close();
    }

    /** Kill once {@code path} has reached {@code atBytes} (and, when given, the progress state {@code state}). */
    record KillPoint(String what, String path, long atBytes, String state) {
        KillPoint(String what, String path, long atBytes) {
            this(what, path, atBytes, null);
        }
    }

    @Test
    void killedAtSixPointsOfOnePullEachTimeReopensVerifiesAndResumesToTheRightSha256() throws Exception {
        List<KillPoint> points = List.of(
                new KillPoint("early, before the first commit", MODEL, MIB),
                new KillPoint("mid-file", MODEL, 13L * MIB),
                new KillPoint("right after the commit boundary at 16 MiB", MODEL, 16L * MIB + 256 * 1024),
                new KillPoint("near the end of the first file", MODEL, files.get(MODEL).length - 512 * 1024),
                new KillPoint("the moment the first file reports done", MODEL, 0, "done"),
                new KillPoint("inside the second file", DATA, 10L * MIB));
        Resumable previous = null;
        for (KillPoint point : points) {
            int mark = repo.requests.size();
            Child host = start();
            long seen = host.pullUntilKilled(point);
            if (previous != null) checkResumed(mark, previous);
            Child fresh = start();
            previous = checkAfterCrash(fresh, point, seen);
            System.out.printf("killed %s at %d bytes of %s: finished %s, loose blob %s, durable prefix %d%n", point.what(), seen,
                    point.path(), previous.finished().keySet(), previous.looseBlob(), previous.partialBytes());
            fresh.kill(); // one more SIGKILL, of an idle host: the next run must not care
        }
        int mark = repo.requests.size();
        Child last = start();
        Resumable before = previous;
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        CompletableFuture<JsonNode> finalPull = last.client.call("models.pull", pullParams(), n -> started.complete(true));
        started.get(60, TimeUnit.SECONDS);
        // while a live host holds the store, a second process is refused with a clear error naming it
        ProcessBuilder second = new ProcessBuilder(HostProcess.javaBin(), "-jar", HostProcess.jar().toString(), "stats", "--no-engine");
        second.environment().put("LLMCP_HOME", home.toString());
        second.environment().put("XDG_RUNTIME_DIR", runtimeDir.toString());
        Process stats2 = second.redirectErrorStream(true).start();
        String said = new String(stats2.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stats2.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(stats2.exitValue()).as(said).isEqualTo(2);
        assertThat(said).contains("error -32010").contains("pid " + last.process.pid()).doesNotContain("\tat ");
        JsonNode result = finalPull.get(120, TimeUnit.SECONDS); // and the refused process disturbed nothing
        for (String path : List.of(CONFIG, MODEL, DATA)) {
            JsonNode f = fileIn(result, path);
            assertThat(f.path("sha256").asText()).as(path).isEqualTo(RepoServer.sha256(files.get(path)));
            assertThat(f.path("size").asLong()).as(path).isEqualTo(files.get(path).length);
            if (before.held(path)) {
                assertThat(f.path("bytesDownloaded").asLong()).as(path + " was finished before").isZero();
            }
        }
        long dataDownloaded = fileIn(result, DATA).path("bytesDownloaded").asLong();
        assertThat(dataDownloaded).as("resumed, not started over").isEqualTo(files.get(DATA).length - before.partialBytes())
                .isLessThan(files.get(DATA).length);
        checkResumed(mark, before);

        assertThat(last.call("models.verify", id(), 60).path("ok").asBoolean()).isTrue();
        assertThat(last.call("models.has", id(), 30).path("complete").asBoolean()).isTrue();
        JsonNode stats = last.call("store.stats", null, 30);
        long total = files.values().stream().mapToLong(b -> b.length).sum();
        assertThat(stats.path("blobBytes").asLong()).isEqualTo(total);
        assertThat(stats.path("partialCount").asLong()).isZero();
        assertThat(stats.path("storedBytes").asLong()).as("no orphan chunks").isEqualTo(total);
        JsonNode gc = last.call("store.gc", null, 60);
        assertThat(gc.toString()).contains("\"orphanChunks\":0");
    }

    /** What a fresh host finds after a kill; also checks everything a user could ask of it. */
    record Resumable(Map<String, String> finished, long partialBytes, String looseBlob) {
        boolean held(String path) {
            return finished.containsKey(path) || path.equals(looseBlob);
        }
    }

    private Resumable checkAfterCrash(Child host, KillPoint point, long seen) throws Exception {
        JsonNode stats = host.call("store.stats", null, 30); // the store opens: no lock error after SIGKILL
        JsonNode has = host.call("models.has", id(), 30);
        assertThat(has.path("known").asBoolean()).isTrue();
        assertThat(has.path("complete").asBoolean()).isFalse();
        JsonNode verify = host.call("models.verify", id(), 60);
        // The model is incomplete, so verify is not ok: it names the files still missing, and every file held
        // so far hashes to the server's bytes.
        assertThat(verify.path("ok").asBoolean()).as(verify.toString()).isFalse();
        Map<String, String> finished = new HashMap<>();
        for (JsonNode f : verify.path("files")) {
            String path = f.path("path").asText();
            if (!f.path("ok").asBoolean()) {
                assertThat(f.path("problem").asText()).as(verify.toString()).contains("missing");
                continue;
            }
            assertThat(f.path("sha256").asText()).as(path).isEqualTo(RepoServer.sha256(files.get(path)));
            finished.put(path, f.path("sha256").asText());
        }
        assertThat(finished).containsKey(CONFIG);
        if (point != null && point.path().equals(DATA)) assertThat(finished).containsKey(MODEL);

        long finishedBytes = finished.keySet().stream().mapToLong(p -> files.get(p).length).sum();
        long partial = stats.path("partialBytes").asLong();
        long blobBytes = stats.path("blobBytes").asLong();
        String loose = null;
        if (point != null && "done".equals(point.state()) && !finished.containsKey(point.path())) {
            // killed between the blob's commit and the model record naming it: the verified blob is kept, and
            // the next pull links it by its announced SHA-256 (checkResumed: no GET)
            assertThat(blobBytes).as(stats.toString()).isIn(finishedBytes, finishedBytes + files.get(point.path()).length);
            if (blobBytes > finishedBytes) loose = point.path();
        } else {
            assertThat(blobBytes).as(stats.toString()).isEqualTo(finishedBytes);
        }
        assertThat(stats.path("partialCount").asLong()).isLessThanOrEqualTo(1);
        assertThat(partial % CHUNK).as("durable prefix is whole chunks").isZero();
        // random weights share no chunks: every stored byte belongs to a finished file or the durable prefix
        assertThat(stats.path("storedBytes").asLong()).as(stats.toString()).isEqualTo(blobBytes + partial);
        if (point != null && !finished.containsKey(point.path()) && loose == null) {
            // a kill loses at most what was not committed yet: under COMMIT bytes plus the chunk in flight
            assertThat(partial).as(point.what()).isLessThanOrEqualTo(seen)
                    .isGreaterThanOrEqualTo(Math.max(0, seen - COMMIT - CHUNK));
        }
        return new Resumable(finished, partial, loose);
    }

    /**
     * The run after a crash: finished files were not fetched again, and the interrupted one asked for exactly
     * the bytes after its durable prefix, guarded by the ETag it had recorded.
     */
    private void checkResumed(int mark, Resumable before) {
        for (String path : List.of(CONFIG, MODEL, DATA)) {
            if (before.held(path)) assertThat(gets(mark, path)).as(path + " was already in the store").isEmpty();
        }
        String partialFile = before.held(MODEL) ? DATA : MODEL;
        RecordedRequest first = firstGet(mark, partialFile);
        if (before.partialBytes() > 0) {
            assertThat(first.getHeader("Range")).as(partialFile).isEqualTo("bytes=" + before.partialBytes() + "-");
            assertThat(first.getHeader("If-Range")).as(partialFile)
                    .isEqualTo("\"" + RepoServer.sha256(files.get(partialFile)).substring(0, 16) + "\"");
        } else {
            assertThat(first.getHeader("Range")).as(partialFile + ": nothing was durable, so no range").isNull();
        }
    }

    private Child start() throws IOException {
        Child c = new Child(home, runtimeDir, tmp.resolve("hosts-stderr.log"));
        children.add(c);
        return c;
    }

    /** One host process over pipes, as the browser starts it, with an RPC client on its stdin/stdout. */
    final class Child {
        final Process process;
        final RpcClient client;

        Child(Path home, Path runtimeDir, Path stderr) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(HostProcess.javaBin(), "-Xmx256m", "-jar", HostProcess.jar().toString(),
                    "native-host", "--no-engine");
            pb.environment().put("LLMCP_HOME", home.toString());
            pb.environment().put("XDG_RUNTIME_DIR", runtimeDir.toString());
            pb.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
            process = pb.start();
            client = new RpcClient(new FrameReader(process.getInputStream()),
                    new FrameWriter(process.getOutputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
        }

        JsonNode call(String method, JsonNode params, int seconds) throws Exception {
            return client.call(method, params).get(seconds, TimeUnit.SECONDS);
        }

        /** Starts the pull and SIGKILLs this host once the file has reached the point; returns the bytes seen then. */
        long pullUntilKilled(KillPoint point) throws Exception {
            AtomicLong seen = new AtomicLong(-1);
            CompletableFuture<Long> reached = new CompletableFuture<>();
            CompletableFuture<JsonNode> pull = client.call("models.pull", pullParams(), n -> {
                JsonNode p = n.path("params");
                if (!p.path("path").asText().equals(point.path())) return;
                long done = p.path("bytesDone").asLong();
                seen.set(done);
                if (done >= point.atBytes() && (point.state() == null || point.state().equals(p.path("state").asText()))) {
                    reached.complete(done);
                }
            });
            long at;
            try {
                at = reached.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the pull never reached " + point + " (last seen " + seen + ", pull " + pull + ")");
            }
            assertThat(pull).withFailMessage("the pull ended before the kill: " + pull).isNotDone();
            kill();
            // destroyForcibly is SIGKILL on Linux: the JVM had no chance to run shutdown hooks or close the store
            assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
            return Math.max(at, seen.get());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("host did not die after SIGKILL");
        }
    }

    private ObjectNode pullParams() {
        ObjectNode p = Json.object();
        p.putObject("config").put("modelId", "crashy").put("name", "Crashy").put("url", repo.baseUrl("org/crashy"));
        return p;
    }

    private static ObjectNode id() {
        return Json.object().put("modelId", "crashy");
    }

    private List<RecordedRequest> gets(int fromIndex, String path) {
        return repo.requests.subList(fromIndex, repo.requests.size()).stream()
                .filter(r -> "GET".equals(r.getMethod()) && r.getPath().endsWith("/" + path)).toList();
    }

    private RecordedRequest firstGet(int fromIndex, String path) {
        List<RecordedRequest> g = gets(fromIndex, path);
        assertThat(g).as("GETs of " + path).isNotEmpty();
        return g.get(0);
    }

    private static JsonNode fileIn(JsonNode result, String path) {
        for (JsonNode f : result.path("files")) if (f.path("path").asText().equals(path)) return f;
        throw new AssertionError("no " + path + " in " + result);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
