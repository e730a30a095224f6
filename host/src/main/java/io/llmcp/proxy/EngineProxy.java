package io.llmcp.proxy;

import io.llmcp.engine.SocketStreams;
import io.llmcp.engine.SocketFrames;
import io.llmcp.engine.EngineLauncher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code llmcp native-host} by default: the thin process a browser starts. Pumps frames between the
 * browser (stdin/stdout) and the user's engine (Unix socket) without re-parsing them, apart from a
 * streaming look at each frame's {@code id}:
 * <ul>
 *   <li>it remembers the ids of requests in flight, so when the engine dies it answers each of them with
 *       {@code ENGINE_UNAVAILABLE} instead of leaving the page waiting; the next request starts a new engine
 *       (the browser's port stays open);</li>
 *   <li>it keeps the browser's 1 MiB limit: a bigger frame from the engine becomes an error answer to its
 *       request instead of a dropped port;</li>
 *   <li>its first frame on every engine connection is {@code session.hello {origin, kind: "browser"}}.</li>
 * </ul>
 * Two threads: this one reads the browser; an engine-reader per connection sleeps on the socket. Right
 * after traffic this thread stays <em>hot</em> for a short {@link ProxySpin} budget and polls both sides
 * itself — the answer to a request it just forwarded, the browser's next request — so a quick exchange
 * wakes no thread in this process; the engine-reader takes the socket back when the budget runs out.
 * It ends when the browser closes stdin; the engine and its jobs carry on.
 */
public final class EngineProxy {
    private static final Logger log = LoggerFactory.getLogger(EngineProxy.class);
    static final String ENGINE_GONE = "the engine stopped; retry — a new one will start";

    private final EngineLauncher launcher;
    private final String origin;
    private final FrameReader browserIn;
    private final FrameWriter browserOut;
    private final ProxySpin spin;
    private final Map<String, JsonNode> pending = new ConcurrentHashMap<>();
    private volatile EngineLink link;
    /** True while this thread polls the engine socket itself; the engine-reader then waits on {@link #handover}. */
    private volatile boolean hot;
    private final Object handover = new Object();
    private final PollingWindow window;
    /** What the polling caught, for the exit log and tests (this thread only). */
    private long browserFramesPolled;
    private long engineFramesPolled;

    public EngineProxy(EngineLauncher launcher, String origin, FrameReader browserIn, FrameWriter browserOut) {
        this(launcher, origin, browserIn, browserOut, ProxySpin.ofMicros(ProxySpin.DEFAULT_REPLY_MICROS, ProxySpin.DEFAULT_IDLE_MICROS));
    }

    public EngineProxy(EngineLauncher launcher, String origin, FrameReader browserIn, FrameWriter browserOut, ProxySpin spin) {
        this.launcher = launcher;
        this.origin = origin == null ? "local" : origin;
        this.browserIn = browserIn;
        this.browserOut = browserOut;
        this.spin = spin;
        this.window = new PollingWindow(spin, System.nanoTime());
        // Answers to the browser go through a bounded queue and their own thread: a browser that does not read
        // for a while stalls neither the engine socket's reader nor the forwarding of its own requests.
        browserOut.startQueue(FrameWriter.DEFAULT_QUEUE_BYTES, "proxy-browser-writer");
    }

    /** Serves until the browser closes stdin. */
    public int run() {
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = nextBrowserFrame();
                } catch (FrameReader.OversizedFrameException e) {
                    log.warn("refused a frame from the browser: {}", e.getMessage());
                    answerError(null, ErrorCodes.FRAME_TOO_LARGE, e.getMessage());
                    if (e.resynchronisable) continue;
                    break; // an implausible length: the stream is out of step, so end it (answered first)
                }
                if (frame == null) break;
                forward(frame);
                extendHot();
            }
            log.info("browser closed the port; proxy exiting ({} browser and {} engine frames caught while polling, "
                    + "polling paused {} times for a busy CPU)", browserFramesPolled, engineFramesPolled, window.pauses());
        } catch (IOException e) {
            log.warn("browser stream failed: {}; proxy exiting", e.toString());
        } finally {
            goCold();
            EngineLink l = link;
            if (l != null) l.close();
            try {
                browserOut.close(2_000); // what is queued for the browser still goes out
            } catch (IOException e) {
                log.debug("closing stdout: {}", e.toString());
            }
        }
        return 0;
    }

    /**
     * The browser's next frame: while hot, polls the engine (delivering what it sent) and the browser in
     * turn without sleeping; once the budget has run out, hands the socket to the engine-reader and blocks.
     */
    private byte[] nextBrowserFrame() throws IOException {
        long turn = System.nanoTime();
        while (hot) {
            if (pollEngine()) extendHot();
            if (browserIn.frameReady()) {
                browserFramesPolled++;
                window.caught();
                return browserIn.read();
            }
            long now = System.nanoTime();
            if (window.expired(now) || window.preempted(turn, now)) {
                goCold();
                break;
            }
            // Yield, not a pause instruction: on two cores the engine or browser thread we wait for may need
            // this very CPU, and a yield hands it over at once (the pause variant measured worse).
            Thread.yield();
            turn = now;
        }
        return browserIn.read();
    }

    /** Starts or extends the hot period after a frame went either way (or ends it when polling is off). */
    private void extendHot() {
        if (window.open(System.nanoTime(), !pending.isEmpty())) hot = true;
        else goCold();
    }

    private void goCold() {
        if (!hot) return;
        synchronized (handover) {
            hot = false;
            handover.notifyAll();
        }
    }

    /** Delivers whatever whole frames the engine has sent, unless the engine-reader is doing so. */
    private boolean pollEngine() {
        EngineLink l = link;
        if (l == null || l.dead || !l.readLock.tryLock()) return false;
        boolean any = false;
        try {
            byte[] frame;
            while ((frame = l.poll()) != null) {
                deliver(frame);
                engineFramesPolled++;
                window.caught();
                any = true;
            }
        } catch (IOException e) {
            log.warn("the engine connection ended: {}", e.getMessage());
            linkDied(l);
        } finally {
            l.readLock.unlock();
        }
        return any;
    }

    /** Frames the main thread caught while polling: from the browser, from the engine. Read after {@link #run}. */
    long[] polledFrames() {
        return new long[] {browserFramesPolled, engineFramesPolled};
    }

    private void forward(byte[] frame) {
        FrameIds ids = FrameIds.scan(frame);
        if (ids.isRequest()) pending.put(ids.key(), ids.id());
        EngineLink l;
        try {
            l = link();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot reach the engine: {}", e.getMessage());
            if (ids.isRequest() && pending.remove(ids.key()) != null) {
                answerError(ids.id(), ErrorCodes.ENGINE_UNAVAILABLE, "cannot reach the engine: " + e.getMessage());
            }
            return;
        }
        try {
            l.write(frame);
        } catch (IOException e) {
            log.warn("writing to the engine failed: {}", e.toString());
            l.close();
        }
        // The link may have died between our write and its reader's sweep of pending requests.
        if (l.dead && ids.isRequest() && pending.remove(ids.key()) != null) {
            answerError(ids.id(), ErrorCodes.ENGINE_UNAVAILABLE, ENGINE_GONE);
        }
    }

    /** The live engine connection, (re)connecting — and starting the engine — when there is none. */
    private synchronized EngineLink link() throws IOException {
        EngineLink l = link;
        if (l != null && !l.dead) return l;
        l = connectWithRetry();
        link = l;
        EngineLink started = l;
        Thread t = new Thread(() -> readEngine(started), "proxy-engine-reader");
        t.setDaemon(true);
        t.start();
        return l;
    }

    /**
     * A dying engine can still accept a connection (its listening socket outlives it by a moment) and
     * then reset it; a couple of retries cover that window, after which the launcher starts a new engine.
     */
    private EngineLink connectWithRetry() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EngineLink l = null;
            try {
                l = new EngineLink(launcher.connectOrStart(), !spin.off(), this::goCold);
                l.hello(origin);
                return l;
            } catch (RuntimeException e) {
                if (l != null) l.close();
                throw e;
            } catch (IOException e) {
                if (l != null) l.close();
                last = e;
                log.info("engine connection attempt {} failed: {}", attempt + 1, e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    /** The engine-reader: sleeps on the socket while this proxy is cold, stands aside while it is hot. */
    private void readEngine(EngineLink l) {
        try {
            while (!l.dead) {
                synchronized (handover) {
                    while (hot && !l.dead) handover.wait();
                }
                l.awaitReadable();
                if (hot) continue; // the main thread polls now; let it have the socket
                l.readLock.lock();
                try {
                    // one read per wake-up: a selector reports what is left on the socket, not what is in our buffer
                    byte[] frame = l.poll();
                    while (frame != null) {
                        deliver(frame);
                        frame = l.pollBuffered();
                    }
                } finally {
                    l.readLock.unlock();
                }
            }
        } catch (IOException e) {
            log.warn("the engine connection ended: {}", e.getMessage());
        } catch (InterruptedException | RuntimeException e) {
            if (!l.dead) log.warn("the engine reader stopped: {}", e.toString());
        } finally {
            linkDied(l);
        }
    }

    /** Passes one engine frame to the browser, keeping the browser's size limit. Call under the link's read lock. */
    private void deliver(byte[] frame) {
        FrameIds ids = FrameIds.scan(frame);
        if (ids.isResponse()) pending.remove(ids.key());
        try {
            browserOut.write(frame);
        } catch (FrameWriter.FrameTooLargeException e) {
            log.error("frame from the engine over the browser limit: {}", e.getMessage());
            if (ids.id() != null) {
                pending.remove(ids.key());
                answerError(ids.id(), ErrorCodes.FRAME_TOO_LARGE, "the answer (" + frame.length
                        + " bytes) is over the browser's 1 MiB message limit");
            }
        } catch (IOException e) {
            log.debug("could not write to the browser: {}", e.toString());
        }
    }

    /** The engine connection is gone: every request still waiting gets a clear error. */
    private void linkDied(EngineLink l) {
        l.close();
        synchronized (handover) {
            handover.notifyAll();
        }
        for (String key : pending.keySet()) {
            JsonNode id = pending.remove(key);
            if (id != null) answerError(id, ErrorCodes.ENGINE_UNAVAILABLE, ENGINE_GONE);
        }
    }

    private void answerError(JsonNode id, int code, String message) {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0");
        msg.set("id", id == null ? NullNode.instance : id);
        msg.putObject("error").put("code", code).put("message", message);
        try {
            browserOut.write(Json.MAPPER.writeValueAsBytes(msg));
        } catch (IOException e) {
            log.debug("could not answer the browser: {}", e.toString());
        }
    }
}
