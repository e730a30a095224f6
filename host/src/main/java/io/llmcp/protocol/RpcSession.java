package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-RPC connection: reads frames, dispatches each request to a worker so a long request never
 * blocks {@code host.info} or {@code cancel}, and writes answers and notifications back through one
 * {@link FrameWriter}. Transport-agnostic: stdio and a local socket both hand it a reader and a writer.
 *
 * <p>Bad input never ends the session: every malformed frame gets its coded error and the loop goes on.
 * Only end of stream (or a dead writer) ends it; in-flight work is then cancelled.
 */
public final class RpcSession implements NotificationSink {
    private static final Logger log = LoggerFactory.getLogger(RpcSession.class);

    private final FrameReader reader;
    private final FrameWriter writer;
    private final MethodRegistry registry;
    private final ExecutorService workers;
    private volatile String origin;
    private final MessageDecoder decoder = new MessageDecoder();
    private final ResponseWriter responses;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong nullIds = new java.util.concurrent.atomic.AtomicLong();

    public RpcSession(FrameReader reader, FrameWriter writer, MethodRegistry registry, ExecutorService workers, String origin) {
        this.reader = reader;
        this.writer = writer;
        this.registry = registry;
        this.workers = workers;
        this.origin = origin;
        // Answers go out through a per-connection queue and writer thread: a peer that does not read stalls
        // only its own connection (see FrameWriter), and awaitRoom below stops reading it meanwhile.
        writer.startQueue(FrameWriter.DEFAULT_QUEUE_BYTES, "rpc-writer");
        this.responses = new ResponseWriter(writer);
    }

    /**
     * Decides, before dispatch, whether this connection may call {@code method}: null admits it, an exception
     * is the answer instead (the engine admits nothing but {@code session.hello} until a hello succeeded).
     */
    public interface Admission {
        RpcException check(String method);
    }

    private volatile Admission admission = method -> null;

    public void setAdmission(Admission admission) {
        this.admission = admission;
    }

    public String origin() {
        return origin;
    }

    /**
     * Records who the client is once it said so (the engine's {@code session.hello}); requests dispatched
     * after this see the new origin in {@link RpcCall#origin()}.
     */
    public void setOrigin(String origin) {
        this.origin = origin;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    /** Serves until the peer closes its side. Returns after in-flight work was cancelled and drained. */
    public void run(long drainMillis) {
        try {
            while (!closed.get()) {
                writer.awaitRoom();
                byte[] frame;
                try {
                    frame = reader.read();
                } catch (FrameReader.OversizedFrameException e) {
                    log.warn("refused incoming frame: {}", e.getMessage());
                    responses.error(null, new RpcException(ErrorCodes.FRAME_TOO_LARGE, e.getMessage(),
                            Json.object().put("length", e.length).put("limit", e.limit)));
                    if (e.resynchronisable) continue;
                    break;
                }
                if (frame == null) {
                    log.info("peer closed the stream; ending session");
                    break;
                }
                onFrame(frame);
            }
        } catch (FrameReader.TruncatedFrameException e) {
            log.warn("closing session: {}", e.getMessage());
        } catch (IOException e) {
            log.warn("closing session: input failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdown(drainMillis);
        }
    }

    private void onFrame(byte[] frame) {
        MessageDecoder.Request req;
        try {
            req = decoder.decode(frame);
        } catch (MessageDecoder.BadMessage bad) {
            responses.error(bad.id, bad.error);
            return;
        }
        RpcException refused = admission.check(req.method());
        if (refused != null) {
            if (req.id() != null) responses.error(req.id(), refused);
            return;
        }
        if (req.method().equals("cancel")) {
            handleCancel(req);
            return;
        }
        RpcHandler handler = registry.find(req.method()).orElse(null);
        if (handler == null) {
            if (req.id() != null) {
                String name = Clip.text(req.method(), 256);
                responses.error(req.id(), new RpcException(ErrorCodes.METHOD_NOT_FOUND,
                        "method not found: " + name, Json.object().put("method", name)));
            }
            return;
        }
        // An id of null is answered (with id null) and tracked, so the end of the stream waits for its answer,
        // under a key no cancel can name (a string id's key is quoted JSON).
        String key = req.id() == null ? null : req.id().isNull() ? "null#" + nullIds.incrementAndGet() : req.id().toString();
        InFlight flight = new InFlight(new CancellationToken());
        if (key != null && inFlight.putIfAbsent(key, flight) != null) {
            responses.error(req.id(), new RpcException(ErrorCodes.INVALID_REQUEST,
                    "a request with id " + key + " is still in flight"));
            return;
        }
        RpcCall call = new RpcCall(req.method(), req.id(), req.params(), flight.token, this, origin);
        try {
            workers.execute(() -> execute(handler, call, key, flight));
        } catch (RejectedExecutionException e) {
            if (key != null) inFlight.remove(key);
            responses.error(req.id(), new RpcException(ErrorCodes.BUSY, "host is shutting down"));
        }
    }

    private void execute(RpcHandler handler, RpcCall call, String key, InFlight flight) {
        try {
            JsonNode result = handler.handle(call);
            // A cancelled request always answers "cancelled"; what it had done by then rides along as data
            // (a stopped generation's partial text and speed, for one).
            if (flight.token.isCancelled()) throw new RpcException(ErrorCodes.CANCELLED, "cancelled", result);
            if (call.id() != null) responses.result(call.id(), result);
        } catch (Throwable t) {
            if (call.id() != null) responses.error(call.id(), Failures.toRpc(t, flight.token, call.method()));
            else log.warn("notification {} failed: {}", call.method(), t.toString());
        } finally {
            if (key != null) inFlight.remove(key);
            flight.done.countDown();
        }
    }

    private void handleCancel(MessageDecoder.Request req) {
        JsonNode target = new Params(req.params()).get("requestId");
        if (target.isMissingNode() || target.isNull()) {
            if (req.id() != null) responses.error(req.id(), RpcException.invalidParams("requestId", "is required"));
            return;
        }
        InFlight flight = inFlight.get(target.toString());
        if (flight != null) flight.token.cancel();
        if (req.id() != null) responses.result(req.id(), Json.object().put("cancelled", flight != null));
    }

    @Override
    public void notify(String method, ObjectNode params) {
        if (closed.get()) return;
        responses.notification(method, params);
    }

    /** Closes the session from outside (e.g. the engine shutting down). */
    public void close() {
        closed.set(true);
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    private void shutdown(long drainMillis) {
        closed.set(true);
        inFlight.values().forEach(f -> f.token.cancel());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        for (InFlight f : inFlight.values()) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !f.done.await(left, TimeUnit.NANOSECONDS)) {
                    log.warn("in-flight work did not stop within {} ms", drainMillis);
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            writer.close(Math.max(drainMillis, 1_000));
        } catch (IOException ignored) {
            // the peer is gone already
        }
    }

    private static final class InFlight {
        final CancellationToken token;
        final CountDownLatch done = new CountDownLatch(1);

        InFlight(CancellationToken token) {
            this.token = token;
        }
    }
}
