package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's long-running work, keyed (e.g. {@code pull:<modelId>}) so any client can find it again.
 *
 * <p>A handler calls {@link #run}: it starts the job (or joins the one already running under that key),
 * streams the job's notifications to its client and answers with the job's result. Other clients join
 * with {@code jobs.attach}. When the owning client disconnects, a job started with
 * {@code detachOnDisconnect=true} keeps going (a download continues when the browser closes) and its
 * result stays available to {@code jobs.attach} for a while; an explicit {@code cancel} of the owning
 * request, or {@code jobs.cancel}, stops it.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    /** Finished jobs remembered so a client that comes back can still collect the result. */
    private static final int FINISHED_KEPT = 64;

    /** The work of a job; check {@code job.token()} at safe points and report through {@code job.notify}. */
    @FunctionalInterface
    public interface Work {
        JsonNode run(Job job) throws Exception;
    }

    private final ExecutorService pool;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    public Jobs() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code work} under {@code key} — or, when a job with that key is already running, joins it —
     * and blocks until it ends, streaming its notifications to {@code call}'s client.
     */
    public JsonNode run(RpcCall call, String key, boolean detachOnDisconnect, Work work) throws Exception {
        awaitWindingDown(key);
        Job job;
        boolean owner;
        Job.Subscriber sub;
        synchronized (this) {
            Job existing = jobs.get(key);
            owner = existing == null || !existing.isRunning();
            job = owner ? new Job(key, detachOnDisconnect) : existing;
            // The owner subscribes before the work starts, so it cannot miss the first notifications.
            sub = job.subscribe(call.sink(), call.id(), !owner);
            if (owner) launch(job, work);
        }
        return watch(job, sub, call, owner);
    }

    /**
     * A job that was cancelled but has not reached its next safe point yet is still "running"; joining it would
     * hand a user's retry the old job's cancellation. Wait (briefly: cancellation is cooperative and prompt)
     * until it has ended — for a pull, until its partial download is closed and resumable.
     */
    private void awaitWindingDown(String key) throws InterruptedException {
        Job existing = find(key).orElse(null);
        if (existing == null || !existing.isRunning() || !existing.token().isCancelled()) return;
        try {
            existing.result().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // ended (cancelled, as expected) or stuck: either way a new job is what the caller asked for
        }
    }

    /**
     * Starts a job without anyone watching it yet and returns it. Refuses with {@code BUSY} when a job
     * with that key is running (join it with {@link #attach} instead).
     */
    public synchronized Job start(String key, boolean detachOnDisconnect, Work work) {
        Job existing = jobs.get(key);
        if (existing != null && existing.isRunning()) {
            throw new RpcException(ErrorCodes.BUSY, "job " + key + " is already running; attach to it with jobs.attach",
                    Json.object().put("key", key));
        }
        Job job = new Job(key, detachOnDisconnect);
        launch(job, work);
        return job;
    }

    /**
     * {@code jobs.attach}: streams the job's notifications (starting with the latest one) to {@code call}'s
     * client and answers with its result; a finished job answers at once.
     */
    public JsonNode attach(RpcCall call, String key) throws Exception {
        Job job = find(key).orElseThrow(() -> new RpcException(ErrorCodes.NOT_FOUND, "no job " + key,
                Json.object().put("key", key)));
        return watch(job, job.subscribe(call.sink(), call.id(), true), call, false);
    }

    public synchronized Optional<Job> find(String key) {
        return Optional.ofNullable(jobs.get(key));
    }

    /** {@code jobs.cancel}: stops a running job. False when there is no such running job. */
    public boolean cancel(String key) {
        Job job = find(key).orElse(null);
        if (job == null || !job.isRunning()) return false;
        job.token().cancel();
        return true;
    }

    public synchronized int activeCount() {
        return (int) jobs.values().stream().filter(Job::isRunning).count();
    }

    public synchronized List<Job> all() {
        return new ArrayList<>(jobs.values());
    }

    public ArrayNode describeRunning() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Job j : all()) if (j.isRunning()) out.add(j.describe());
        return out;
    }

    private void launch(Job job, Work work) {
        jobs.remove(job.key());
        jobs.put(job.key(), job);
        forgetOldFinished();
        pool.execute(() -> execute(job, work));
        log.info("job {} started (detachOnDisconnect={})", job.key(), job.detachOnDisconnect());
    }

    private void execute(Job job, Work work) {
        try {
            JsonNode value = work.run(job);
            if (job.token().isCancelled()) throw RpcException.cancelled();
            job.finish(value);
            log.info("job {} done", job.key());
        } catch (Throwable t) {
            RpcException e = Failures.toRpc(t, job.token(), "job " + job.key());
            job.fail(e);
            log.info("job {} ended: {} {}", job.key(), e.code(), e.getMessage());
        }
    }

    /**
     * Subscribes {@code call} to the job and waits for its end. When the call's token fires: an owner's
     * explicit cancel (client still connected) or a non-detachable owner's disconnect stops the job; anything
     * else only stops watching.
     */
    private JsonNode watch(Job job, Job.Subscriber sub, RpcCall call, boolean owner) throws Exception {
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        job.result().whenComplete((r, e) -> {
            if (e != null) mine.completeExceptionally(e);
            else mine.complete(r);
        });
        call.token().onCancel(() -> {
            if (owner && (call.sink().isOpen() || !job.detachOnDisconnect())) {
                job.token().cancel();
            } else if (owner) {
                log.info("job {} continues after its client disconnected", job.key());
            }
            mine.completeExceptionally(RpcException.cancelled());
        });
        try {
            return mine.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        } finally {
            job.unsubscribe(sub);
        }
    }

    private void forgetOldFinished() {
        int finished = (int) jobs.values().stream().filter(j -> !j.isRunning()).count();
        var it = jobs.entrySet().iterator();
        while (finished > FINISHED_KEPT && it.hasNext()) {
            if (!it.next().getValue().isRunning()) {
                it.remove();
                finished--;
            }
        }
    }

    /** Cancels running jobs and gives them a moment to stop at a safe point. */
    @Override
    public void close() {
        for (Job j : all()) j.token().cancel();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) log.warn("jobs did not stop within 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
