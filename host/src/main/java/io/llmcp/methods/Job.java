package io.llmcp.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.NotificationSink;
import io.llmcp.protocol.RpcException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One long-running piece of work (a pull, say) that can outlive the request that started it. It has its
 * <em>own</em> cancellation token: the requests that watch it (the owner and any {@code jobs.attach}) only
 * subscribe to its notifications and its result, so a client going away does not have to stop the work.
 */
public final class Job {
    /** Where the job is in its life; {@code running} until the work returns or throws. */
    public enum State { RUNNING, DONE, FAILED, CANCELLED }

    private final String key;
    private final boolean detachOnDisconnect;
    private final CancellationToken token = new CancellationToken();
    private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Instant startedAt = Instant.now();
    private volatile Instant endedAt;
    private volatile State state = State.RUNNING;
    private volatile String lastMethod;
    private volatile ObjectNode lastParams;
    private volatile RpcException error;

    Job(String key, boolean detachOnDisconnect) {
        this.key = key;
        this.detachOnDisconnect = detachOnDisconnect;
    }

    public String key() {
        return key;
    }

    /** The job's own token: cancelled by {@code jobs.cancel}, by its owner's explicit {@code cancel}, or at shutdown. */
    public CancellationToken token() {
        return token;
    }

    public boolean detachOnDisconnect() {
        return detachOnDisconnect;
    }

    public State state() {
        return state;
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Completes with the work's result, or exceptionally with its (coded) failure. */
    public CompletableFuture<JsonNode> result() {
        return result;
    }

    /**
     * Sends a notification to every client watching the job, each tagged with the {@code requestId} of its
     * own watching request and with {@code jobKey}. The last one is kept so a late attacher sees where the
     * job is at once instead of waiting for the next progress tick.
     */
    public void notify(String method, ObjectNode params) {
        ObjectNode kept = params.deepCopy();
        kept.remove("requestId");
        kept.put("jobKey", key);
        lastMethod = method;
        lastParams = kept;
        for (Subscriber s : subscribers) s.send(method, kept);
    }

    /** How many requests are watching right now. */
    public int watchers() {
        return subscribers.size();
    }

    /** A summary for {@code jobs.list} and {@code engine.status}. */
    public ObjectNode describe() {
        ObjectNode out = Json.object().put("key", key).put("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .put("startedAt", startedAt.toString()).put("watchers", subscribers.size())
                .put("detachOnDisconnect", detachOnDisconnect);
        if (endedAt != null) out.put("endedAt", endedAt.toString());
        if (lastParams != null) {
            out.put("lastNotification", lastMethod);
            out.set("progress", lastParams);
        }
        RpcException e = error;
        if (e != null) out.putObject("error").put("code", e.code()).put("message", e.getMessage());
        return out;
    }

    Subscriber subscribe(NotificationSink sink, JsonNode requestId, boolean replayLast) {
        Subscriber s = new Subscriber(sink, requestId);
        subscribers.add(s);
        if (replayLast && lastParams != null) s.send(lastMethod, lastParams);
        return s;
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    void finish(JsonNode value) {
        state = State.DONE;
        endedAt = Instant.now();
        result.complete(value);
    }

    void fail(RpcException e) {
        state = e.code() == ErrorCodes.CANCELLED ? State.CANCELLED : State.FAILED;
        error = e;
        endedAt = Instant.now();
        result.completeExceptionally(e);
    }

    /** One request watching the job: its client's sink and the id its notifications carry. */
    static final class Subscriber {
        final NotificationSink sink;
        final JsonNode requestId;

        Subscriber(NotificationSink sink, JsonNode requestId) {
            this.sink = sink;
            this.requestId = requestId;
        }

        void send(String method, ObjectNode params) {
            if (!sink.isOpen()) return;
            ObjectNode copy = params.deepCopy();
            if (requestId != null) copy.set("requestId", requestId);
            sink.notify(method, copy);
        }
    }
}
