package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.NotificationSink;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobsTest {
    private final Jobs jobs = new Jobs();

    @AfterEach
    void close() {
        jobs.close();
    }

    /** A client connection as a job sees it: open until closed, collecting what it is sent. */
    static final class FakeClient implements NotificationSink {
        final List<ObjectNode> received = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        @Override
        public void notify(String method, ObjectNode params) {
            ObjectNode msg = Json.object().put("method", method);
            msg.set("params", params);
            received.add(msg);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        RpcCall call(int id, CancellationToken token) {
            return new RpcCall("x", IntNode.valueOf(id), Json.object(), token, this, "test");
        }
    }

    /** Counts to {@code steps}, one notification per step, each step waiting for {@code gate} to be released. */
    static Jobs.Work counting(int steps, CountDownLatch[] gates) {
        return job -> {
            for (int i = 0; i < steps; i++) {
                while (!gates[i].await(10, TimeUnit.MILLISECONDS)) job.token().throwIfCancelled();
                job.notify("test.progress", Json.object().put("step", i + 1));
            }
            return Json.object().put("steps", steps);
        };
    }

    static CountDownLatch[] gates(int n) {
        CountDownLatch[] g = new CountDownLatch[n];
        for (int i = 0; i < n; i++) g[i] = new CountDownLatch(1);
        return g;
    }

    static CompletableFuture<JsonNode> async(java.util.concurrent.Callable<JsonNode> c) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return c.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    static void awaitTrue(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void notificationsFanOutToOwnerAndAttachedClientWithTheirOwnRequestIds() throws Exception {
        FakeClient a = new FakeClient();
        FakeClient b = new FakeClient();
        CountDownLatch[] g = gates(3);
        CompletableFuture<JsonNode> owner = async(() -> jobs.run(a.call(1, new CancellationToken()), "k", true, counting(3, g)));
        g[0].countDown();
        awaitTrue(() -> a.received.size() == 1);
        CompletableFuture<JsonNode> attached = async(() -> jobs.attach(b.call(42, new CancellationToken()), "k"));
        // the late attacher first gets the latest progress, tagged with its own request id
        awaitTrue(() -> b.received.size() == 1);
        assertThat(b.received.get(0).path("params").path("step").asInt()).isEqualTo(1);
        assertThat(b.received.get(0).path("params").path("requestId").asInt()).isEqualTo(42);
        assertThat(b.received.get(0).path("params").path("jobKey").asText()).isEqualTo("k");
        g[1].countDown();
        g[2].countDown();
        assertThat(owner.get(10, TimeUnit.SECONDS).path("steps").asInt()).isEqualTo(3);
        assertThat(attached.get(10, TimeUnit.SECONDS).path("steps").asInt()).isEqualTo(3);
        assertThat(a.received).extracting(m -> m.path("params").path("requestId").asInt()).containsOnly(1);
        assertThat(a.received).extracting(m -> m.path("params").path("step").asInt()).containsExactly(1, 2, 3);
        assertThat(b.received).extracting(m -> m.path("params").path("step").asInt()).containsExactly(1, 2, 3);
        assertThat(jobs.activeCount()).isZero();
    }

    @Test
    void detachableJobOutlivesItsDisconnectedOwnerAndTheResultStaysAvailable() throws Exception {
        FakeClient a = new FakeClient();
        CancellationToken aToken = new CancellationToken();
        CountDownLatch[] g = gates(2);
        CompletableFuture<JsonNode> owner = async(() -> jobs.run(a.call(1, aToken), "pull:m", true, counting(2, g)));
        awaitTrue(() -> jobs.activeCount() == 1);
        a.open = false; // the connection ended: RpcSession marks itself closed, then cancels its requests
        aToken.cancel();
        assertThatThrownBy(() -> owner.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(RpcException.class);
        assertThat(jobs.find("pull:m").orElseThrow().isRunning()).isTrue();
        g[0].countDown();
        g[1].countDown();
        awaitTrue(() -> jobs.activeCount() == 0);
        assertThat(jobs.find("pull:m").orElseThrow().state()).isEqualTo(Job.State.DONE);
        FakeClient later = new FakeClient();
        assertThat(jobs.attach(later.call(5, new CancellationToken()), "pull:m").path("steps").asInt()).isEqualTo(2);
    }

    @Test
    void nonDetachableJobStopsWhenItsOwnerDisconnects() throws Exception {
        FakeClient a = new FakeClient();
        CancellationToken aToken = new CancellationToken();
        CompletableFuture<JsonNode> owner = async(() -> jobs.run(a.call(1, aToken), "gen", false, counting(1, gates(1))));
        awaitTrue(() -> jobs.activeCount() == 1);
        a.open = false;
        aToken.cancel();
        awaitTrue(() -> jobs.activeCount() == 0);
        assertThat(jobs.find("gen").orElseThrow().state()).isEqualTo(Job.State.CANCELLED);
        assertThatThrownBy(() -> owner.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(RpcException.class);
    }

    @Test
    void explicitCancelOfTheOwningRequestStopsADetachableJob() throws Exception {
        FakeClient a = new FakeClient();
        CancellationToken aToken = new CancellationToken();
        async(() -> jobs.run(a.call(1, aToken), "pull:x", true, counting(1, gates(1))));
        awaitTrue(() -> jobs.activeCount() == 1);
        aToken.cancel(); // client still connected: a person pressed cancel
        awaitTrue(() -> jobs.activeCount() == 0);
        assertThat(jobs.find("pull:x").orElseThrow().state()).isEqualTo(Job.State.CANCELLED);
    }

    @Test
    void attachedClientCancellingOnlyStopsWatching() throws Exception {
        FakeClient a = new FakeClient();
        FakeClient b = new FakeClient();
        CountDownLatch[] g = gates(1);
        CompletableFuture<JsonNode> owner = async(() -> jobs.run(a.call(1, new CancellationToken()), "k", true, counting(1, g)));
        awaitTrue(() -> jobs.activeCount() == 1);
        CancellationToken bToken = new CancellationToken();
        CompletableFuture<JsonNode> watcher = async(() -> jobs.attach(b.call(2, bToken), "k"));
        awaitTrue(() -> jobs.find("k").orElseThrow().watchers() == 2);
        bToken.cancel();
        assertThatThrownBy(() -> watcher.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(RpcException.class);
        assertThat(jobs.find("k").orElseThrow().isRunning()).isTrue();
        g[0].countDown();
        assertThat(owner.get(10, TimeUnit.SECONDS).path("steps").asInt()).isEqualTo(1);
    }

    @Test
    void secondRunWithTheSameKeyJoinsTheRunningJobInsteadOfStartingAnother() throws Exception {
        FakeClient a = new FakeClient();
        FakeClient b = new FakeClient();
        CountDownLatch[] g = gates(1);
        int[] starts = {0};
        Jobs.Work work = job -> {
            synchronized (starts) {
                starts[0]++;
            }
            return counting(1, g).run(job);
        };
        CompletableFuture<JsonNode> first = async(() -> jobs.run(a.call(1, new CancellationToken()), "k", true, work));
        awaitTrue(() -> jobs.activeCount() == 1);
        CompletableFuture<JsonNode> second = async(() -> jobs.run(b.call(1, new CancellationToken()), "k", true, work));
        awaitTrue(() -> jobs.find("k").orElseThrow().watchers() == 2);
        g[0].countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(second.get(10, TimeUnit.SECONDS));
        assertThat(starts[0]).isEqualTo(1);
        assertThatThrownBy(() -> {
            jobs.start("busy", true, job -> {
                Thread.sleep(200);
                return Json.object();
            });
            jobs.start("busy", true, job -> Json.object());
        }).isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.BUSY));
    }

    @Test
    void attachToUnknownJobIsNotFoundAndFailuresReachEveryWatcher() throws Exception {
        FakeClient a = new FakeClient();
        assertThatThrownBy(() -> jobs.attach(a.call(1, new CancellationToken()), "nope"))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        assertThatThrownBy(() -> jobs.run(a.call(2, new CancellationToken()), "bad", true, job -> {
            throw new RpcException(ErrorCodes.DOWNLOAD_FAILED, "server said 500");
        })).isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED));
        assertThatThrownBy(() -> jobs.attach(a.call(3, new CancellationToken()), "bad"))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED));
        assertThat(jobs.find("bad").orElseThrow().describe().path("state").asText()).isEqualTo("failed");
    }

    @Test
    void jobsCancelStopsARunningJob() throws Exception {
        Job job = jobs.start("k", true, counting(1, gates(1)));
        assertThat(jobs.cancel("k")).isTrue();
        assertThatThrownBy(() -> job.result().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RpcException.class);
        assertThat(job.state()).isEqualTo(Job.State.CANCELLED);
        assertThat(jobs.cancel("k")).isFalse();
    }

    @Test
    void aRetryRightAfterACancelStartsANewJobInsteadOfJoiningTheOneWindingDown() throws Exception {
        FakeClient a = new FakeClient();
        CancellationToken aToken = new CancellationToken();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<JsonNode> first = async(() -> jobs.run(a.call(1, aToken), "pull:m", true, job -> {
            started.countDown();
            while (!job.token().isCancelled()) Thread.sleep(5);
            Thread.sleep(300); // reaching the next safe point (closing a partial download) takes a moment
            job.token().throwIfCancelled();
            return Json.object();
        }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        aToken.cancel(); // the owner's explicit cancel, client still connected
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(RpcException.class);
        assertThat(jobs.find("pull:m").orElseThrow().isRunning()).as("still winding down").isTrue();

        JsonNode retry = jobs.run(a.call(2, new CancellationToken()), "pull:m", true, job -> Json.object().put("fresh", true));
        assertThat(retry.path("fresh").asBoolean()).isTrue();
        assertThat(jobs.find("pull:m").orElseThrow().state()).isEqualTo(Job.State.DONE);
    }
}
