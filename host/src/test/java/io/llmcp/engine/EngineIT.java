package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine, proxies and CLI as real processes of the built jar. The long work is {@code test.job}
 * (enabled by config in the temp data dir), so these tests are about the engine, not downloads; the same
 * scenarios with real {@code models.pull} downloads from a loopback repo are in {@link EnginePullIT}.
 */
class EngineIT {
    static final String CHROME = "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) // keeps the logs of a failed test
    Path tmp;

    EngineProcesses procs;

    @BeforeEach
    void setUp() throws Exception {
        procs = new EngineProcesses(tmp.resolve("home"), "{\"testMethods\":true,\"idleExitSeconds\":60}");
    }

    @AfterEach
    void tearDown() throws Exception {
        procs.close();
    }

    static ObjectNode longWork(String key, int steps) {
        return Json.object().put("key", key).put("steps", steps).put("stepMillis", 100);
    }

    static CompletableFuture<JsonNode> startLongWork(EngineProcesses.Proxy p, String key, int steps, List<JsonNode> progress) {
        return p.client.call("test.job", longWork(key, steps), progress::add);
    }

    static String workKey(String key) {
        return "test:" + key;
    }

    static void await(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void twoBrowsersAndTheCliShareOneEngineAndSeeEachOthersWork() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        EngineProcesses.Proxy b = procs.launch(tmp.resolve("llmcp.json").toString(), HostConfig.FIREFOX_EXTENSION_ID);
        long enginePid = a.call("host.info", null).path("pid").asLong();
        assertThat(b.call("host.info", null).path("pid").asLong()).isEqualTo(enginePid);
        assertThat(enginePid).isNotIn(a.process.pid(), b.process.pid());
        // detached: its own session, outside the browser's process group (setsid)
        assertThat(EngineProcesses.sessionId(enginePid)).isEqualTo(enginePid).isNotEqualTo(EngineProcesses.sessionId(a.process.pid()));
        Path environ = Path.of("/proc/" + enginePid + "/environ");
        if (Files.exists(environ)) { // Linux: the engine, which loads the models, starts with the malloc setting
            assertThat(new String(Files.readAllBytes(environ), java.nio.charset.StandardCharsets.UTF_8).split("\0"))
                    .contains(io.llmcp.inference.MallocTuning.VARIABLE + "=" + io.llmcp.inference.MallocTuning.THRESHOLD_BYTES);
        }

        List<JsonNode> aProgress = new CopyOnWriteArrayList<>();
        Path release = tmp.resolve("release-m");
        CompletableFuture<JsonNode> owner = a.client.call("test.job", longWork("m", 15).put("holdUntil", release.toString()), aProgress::add);
        await(() -> !aProgress.isEmpty(), "the first progress notification");
        List<JsonNode> bProgress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> attached = b.client.call("jobs.attach", Json.object().put("key", workKey("m")), bProgress::add);

        EngineProcesses.CliResult status = procs.cli("engine", "status", "--json");
        assertThat(status.exitCode()).isZero();
        JsonNode s = status.json();
        assertThat(s.path("pid").asLong()).isEqualTo(enginePid);
        assertThat(s.path("clients")).extracting(c -> c.path("origin").asText())
                .contains(CHROME, HostConfig.FIREFOX_EXTENSION_ID, "cli");
        assertThat(s.path("activeWork")).extracting(j -> j.path("key").asText()).containsExactly(workKey("m"));
        EngineProcesses.CliResult info = procs.cli("info", "--json");
        assertThat(info.json().path("pid").asLong()).isEqualTo(enginePid);
        Files.createFile(release); // seen running by all three: now let it finish

        assertThat(owner.get(60, TimeUnit.SECONDS).path("steps").asInt()).isEqualTo(15);
        assertThat(attached.get(60, TimeUnit.SECONDS).path("steps").asInt()).isEqualTo(15);
        assertThat(aProgress).extracting(n -> n.path("params").path("step").asInt()).endsWith(15);
        assertThat(bProgress).isNotEmpty();
        assertThat(bProgress).extracting(n -> n.path("params").path("step").asInt()).isSorted().endsWith(15);
        assertThat(procs.engineProcesses()).hasSize(1);
        a.close();
        b.close();
        assertThat(a.process.exitValue()).isZero();
    }

    @Test
    void closingTheBrowserDuringAJobLetsItFinishAndANewBrowserSeesTheResult() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        Path release = tmp.resolve("release-m");
        a.client.call("test.job", longWork("m", 20).put("holdUntil", release.toString()), progress::add);
        await(() -> !progress.isEmpty(), "the first progress notification");
        long enginePid = procs.enginePid();
        a.close(); // stdin EOF: the browser closed the port
        assertThat(a.process.exitValue()).isZero();

        EngineProcesses.Proxy c = procs.proxy("--origin", CHROME);
        JsonNode running = c.call("engine.status", null);
        assertThat(running.path("pid").asLong()).isEqualTo(enginePid);
        assertThat(running.path("activeWork")).extracting(j -> j.path("key").asText()).containsExactly(workKey("m"));
        Files.createFile(release);
        JsonNode result = c.call("jobs.attach", Json.object().put("key", workKey("m")));
        assertThat(result.path("steps").asInt()).isEqualTo(20);
        JsonNode jobs = c.call("jobs.list", null);
        assertThat(jobs.path("jobs").get(0).path("state").asText()).isEqualTo("done");
        c.close();
    }

    @Test
    void killingTheEngineAnswersPendingRequestsAndTheNextRequestStartsANewOne() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        CompletableFuture<JsonNode> work = startLongWork(a, "m", 1000, progress);
        await(() -> !progress.isEmpty(), "the first progress notification");
        long oldPid = procs.enginePid();
        ProcessHandle.of(oldPid).orElseThrow().destroyForcibly(); // SIGKILL
        assertThatThrownBy(() -> work.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExecutionException.class, e -> {
            RpcException rpc = (RpcException) e.getCause();
            assertThat(rpc.code()).isEqualTo(ErrorCodes.ENGINE_UNAVAILABLE);
            assertThat(rpc.getMessage()).isEqualTo("the engine stopped; retry — a new one will start");
        });
        assertThat(a.process.isAlive()).isTrue(); // the browser's port stays open
        long newPid = a.call("host.info", null).path("pid").asLong();
        assertThat(newPid).isPositive().isNotEqualTo(oldPid);
        assertThat(procs.startLog()).hasSize(2);
        a.close();
    }

    @Test
    void tenProxiesStartingAtOnceStartExactlyOneEngine() throws Exception {
        List<EngineProcesses.Proxy> proxies = new ArrayList<>();
        for (int i = 0; i < 10; i++) proxies.add(procs.proxy("--origin", CHROME));
        List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
        for (EngineProcesses.Proxy p : proxies) answers.add(p.client.call("host.info", null));
        List<Long> pids = new ArrayList<>();
        for (CompletableFuture<JsonNode> f : answers) pids.add(f.get(120, TimeUnit.SECONDS).path("pid").asLong());
        assertThat(pids).hasSize(10).containsOnly(pids.get(0));
        assertThat(procs.startLog()).hasSize(1);
        assertThat(procs.engineProcesses()).extracting(ProcessHandle::pid).containsExactly(pids.get(0));
        assertThat(proxies.get(0).call("engine.status", null).path("clients")).hasSize(10);
        for (EngineProcesses.Proxy p : proxies) p.close();
    }

    @Test
    void aStaleSocketAndPidFileFromACrashedEngineAreReplaced() throws Exception {
        procs.paths.ensureRunDir();
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(procs.paths.socket()));
        }
        Files.writeString(procs.paths.pidFile(), "999999\n");
        assertThat(procs.paths.socket()).exists();
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        long pid = a.call("host.info", null).path("pid").asLong();
        assertThat(procs.enginePid()).isEqualTo(pid);
        a.close();
    }

    @Test
    void anotherUsersConnectionIsRefused() throws Exception {
        EngineProcesses.Proxy a = procs.proxy("--origin", CHROME);
        long pid = a.call("host.info", null).path("pid").asLong();
        assertThat(PeerPermissions.mode(procs.paths.runDir())).isEqualTo("rwx------");
        assertThat(PeerPermissions.mode(procs.paths.socket())).isEqualTo("rw-------");
        if (!PeerPermissions.canRunAsNobody()) return; // permission bits checked above; no second user here
        // 1. file permissions keep another user out
        assertThat(PeerPermissions.connectAsNobody(procs.paths.socket())).isEqualTo("DENIED");
        // 2. with the permissions opened up on purpose, the engine itself refuses (SO_PEERCRED)
        PeerPermissions.openUp(tmp, procs.paths);
        assertThat(PeerPermissions.connectAsNobody(procs.paths.socket())).isEqualTo("CLOSED");
        // and keeps serving its own user
        assertThat(a.call("host.info", null).path("pid").asLong()).isEqualTo(pid);
        a.close();
    }

    @Test
    void idleEngineExitsAfterTheLastClientLeaves() throws Exception {
        procs = new EngineProcesses(tmp.resolve("idle"), "{\"testMethods\":true,\"idleExitSeconds\":1}");
        EngineProcesses.Proxy a = procs.proxy();
        long pid = a.call("host.info", null).path("pid").asLong();
        Thread.sleep(2500);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue(); // a client is connected
        a.close();
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertThat(procs.paths.pidFile()).doesNotExist();
        assertThat(procs.paths.socket()).doesNotExist();
        assertThat(procs.cli("engine", "status").exitCode()).isEqualTo(1);
    }

    @Test
    void engineStopFromTheCli() throws Exception {
        EngineProcesses.CliResult none = procs.cli("engine", "stop");
        assertThat(none.stdout()).contains("no engine is running");
        EngineProcesses.Proxy a = procs.proxy();
        long pid = a.call("host.info", null).path("pid").asLong();
        EngineProcesses.CliResult stop = procs.cli("engine", "stop");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.stdout()).contains("engine (pid " + pid + ") stopped");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        a.close();
        // --no-engine serves in the command's own process and starts no engine
        EngineProcesses.CliResult local = procs.cli("info", "--json", "--no-engine");
        assertThat(local.exitCode()).isZero();
        assertThat(local.json().path("pid").asLong()).isNotEqualTo(pid);
        assertThat(procs.startLog()).hasSize(1);
        assertThat(procs.engineProcesses()).isEmpty();
    }
}
