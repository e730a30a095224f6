package io.llmcp.engine;

import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.NotificationSink;
import io.llmcp.protocol.RpcSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: one process per user that owns the store, downloads and inference sessions and serves every
 * browser (through its proxy) and every CLI command over a Unix domain socket.
 *
 * <p>Life: win {@code engine.lock} (a loser exits at once: another engine runs), replace any stale socket,
 * serve each client with its own {@link RpcSession} over one shared registry and worker pool, and exit once
 * no client is connected and no job runs for {@code engine.idleExitSeconds}. On exit it closes the host's
 * services ({@link Services#close}: the store among them) and removes its socket and pid file; the lock goes
 * with the process. What the engine serves comes from outside ({@link Services}), so the server knows
 * sockets, clients and idleness, and nothing about models or the store.
 */
public final class EngineServer {
    private static final Logger log = LoggerFactory.getLogger(EngineServer.class);
    public static final long DEFAULT_IDLE_EXIT_SECONDS = 600;
    /** Exit code of an engine that found another one holding the lock. */
    public static final int EXIT_ALREADY_RUNNING = 0;

    /** What the engine serves: given by the composition root, which owns every service. */
    public interface Services extends AutoCloseable {
        /** The method table for this engine: the host's methods plus the engine's own (which need the server). */
        MethodRegistry methodsFor(EngineServer engine);

        /** Jobs still running: the engine does not exit idle while one runs. */
        int activeJobs();

        /**
         * Starts what the engine serves besides its socket (the HTTP API), over the engine's method table, once
         * the engine holds its lock; null when there is nothing to start. A failure here ends the engine.
         */
        default Listener listen(MethodRegistry methods) throws IOException {
            return null;
        }

        /** Closes every service (the store among them) in reverse order of start. */
        @Override
        void close();
    }

    /**
     * A listener the root started beside the socket. While one is open the engine never exits idle (it serves
     * clients the engine cannot count), and it closes first at shutdown, before the sessions and services it uses.
     */
    public interface Listener extends AutoCloseable {
        @Override
        void close();
    }

    private final EnginePaths paths;
    private final long idleExitSeconds;
    private final Instant startedAt = Instant.now();
    private final Map<RpcSession, EngineClient> clients = new ConcurrentHashMap<>();
    private final AtomicInteger clientIds = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile long lastBusyNanos = System.nanoTime();
    private volatile ServerSocketChannel server;
    private Services services;
    private MethodRegistry registry;
    private ExecutorService workers;
    private volatile Listener listener;

    public EngineServer(EnginePaths paths, long idleExitSeconds) {
        this.paths = paths;
        this.idleExitSeconds = idleExitSeconds;
    }

    /**
     * The idle period from {@code --idle-exit-seconds}, else config {@code engine.idleExitSeconds}, else 600.
     * {@code engineSection} is config.json's {@code "engine"} section as plain values, read by the root.
     */
    public static long idleExitSeconds(Map<String, ?> engineSection, Long override) {
        if (override != null) return override;
        return engineSection.get("idleExitSeconds") instanceof Number n ? n.longValue() : DEFAULT_IDLE_EXIT_SECONDS;
    }

    /** Runs until stopped or idle; returns the process exit code. */
    public int run(Services context) throws IOException {
        try {
            return runLocked(context);
        } finally {
            finished.countDown();
        }
    }

    private int runLocked(Services context) throws IOException {
        paths.ensureRunDir();
        try (FileChannel lockChannel = FileChannel.open(paths.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = acquire(lockChannel);
            if (lock == null) {
                log.info("another engine holds {}; this one exits", paths.lockFile());
                context.close();
                return EXIT_ALREADY_RUNNING;
            }
            try {
                return serve(context);
            } finally {
                Files.deleteIfExists(paths.pidFile());
                lock.release();
            }
        }
    }

    /** A few tries: a client probing the lock (to see whether an engine runs) holds it for an instant. */
    private static FileLock acquire(FileChannel ch) throws IOException {
        for (int i = 0; i < 10; i++) {
            try {
                FileLock l = ch.tryLock();
                if (l != null) return l;
            } catch (java.nio.channels.OverlappingFileLockException e) {
                // held inside this JVM (tests run engines in-process)
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private int serve(Services context) throws IOException {
        this.services = context;
        // We hold the lock, so any socket file left is from a crashed engine.
        if (Files.deleteIfExists(paths.socket())) log.info("removed a stale socket {}", paths.socket());
        server = bindPrivately();
        long pid = ProcessHandle.current().pid();
        Files.writeString(paths.pidFile(), pid + "\n", StandardCharsets.UTF_8);
        Files.writeString(paths.startLog(), pid + " " + startedAt + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        workers = Executors.newCachedThreadPool(daemonThreads("engine-worker-"));
        registry = services.methodsFor(this);
        ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor(daemonThreads("engine-idle-"));
        long tick = Math.max(100, Math.min(1000, idleExitSeconds * 1000 / 4));
        idle.scheduleWithFixedDelay(this::checkIdle, tick, tick, TimeUnit.MILLISECONDS);
        log.info("engine {} listening on {} (idle exit after {} s)", pid, paths.socket(), idleExitSeconds);
        try {
            listener = services.listen(registry);
            acceptLoop();
        } finally {
            idle.shutdownNow();
            shutdown();
        }
        return 0;
    }

    /**
     * Binds under a temporary name, restricts the socket file to its owner, then renames it into place:
     * no client ever sees the socket with the umask's permissions, nor before it is ready to accept.
     */
    private ServerSocketChannel bindPrivately() throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        if (!EnginePaths.posix()) {
            ch.bind(UnixDomainSocketAddress.of(paths.socket()));
            return ch;
        }
        java.nio.file.Path tmp = paths.runDir().resolve("engine.sock." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        ch.bind(UnixDomainSocketAddress.of(tmp));
        java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, paths.socket(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return ch;
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (stopping) break;
                log.warn("accept failed: {}", e.toString());
                continue;
            }
            String peer = PeerCredentials.peerUser(ch).orElse(null);
            if (peer != null && !peer.equals(PeerCredentials.ownUser())) {
                log.warn("refused a connection from user {} (the engine serves {} only)", peer, PeerCredentials.ownUser());
                closeQuietly(ch);
                continue;
            }
            EngineClient client = register(ch);
            if (client == null) {
                closeQuietly(ch); // we decided to exit a moment ago: the client retries and starts a new engine
                break;
            }
            Thread t = new Thread(() -> serveClient(client), "engine-client-" + client.id());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Registers a client unless the engine is stopping; the idle check decides under the same lock. */
    private synchronized EngineClient register(SocketChannel ch) {
        if (stopping) return null;
        FrameReader reader = new FrameReader(new BufferedInputStream(SocketStreams.in(ch), 1 << 16),
                FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(SocketStreams.out(ch), 1 << 16));
        RpcSession session = new RpcSession(reader, writer, registry, workers, "unknown");
        EngineClient client = new EngineClient(clientIds.incrementAndGet(), session, ch);
        session.setAdmission(client::admit);
        clients.put(session, client);
        markBusy();
        return client;
    }

    private void serveClient(EngineClient client) {
        log.debug("client {} connected", client.id());
        try {
            client.session().run(5_000);
        } finally {
            clients.remove(client.session());
            closeQuietly(client.channel());
            markBusy();
            log.debug("client {} ({}) disconnected", client.id(), client.origin());
        }
    }

    private synchronized void checkIdle() {
        if (stopping) return;
        // An engine with a listener (the HTTP API) is a server: it stays up until stopped.
        if (!clients.isEmpty() || services.activeJobs() > 0 || listener != null) {
            markBusy();
            return;
        }
        long idleNanos = System.nanoTime() - lastBusyNanos;
        if (idleNanos >= TimeUnit.SECONDS.toNanos(idleExitSeconds)) {
            log.info("idle for {} s with no client and no job; exiting", idleExitSeconds);
            stop();
        }
    }

    private void markBusy() {
        lastBusyNanos = System.nanoTime();
    }

    /** Stops accepting, ends every session (cancelling its work), and lets {@link #run} clean up. */
    public synchronized void stop() {
        if (stopping) return;
        stopping = true;
        ServerSocketChannel s = server;
        if (s != null) closeQuietly(s);
    }

    /** Waits until {@link #run} has closed everything (shutdown hooks use it). */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    private void shutdown() {
        Listener l = listener;
        if (l != null) l.close();
        for (EngineClient c : clients.values()) {
            c.session().close();
            closeQuietly(c.channel());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!clients.isEmpty() && System.nanoTime() < deadline) sleep(20);
        services.close();
        workers.shutdownNow();
        try {
            Files.deleteIfExists(paths.socket());
        } catch (IOException e) {
            log.warn("could not remove {}: {}", paths.socket(), e.toString());
        }
        log.info("engine stopped; store closed");
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long idleExitSeconds() {
        return idleExitSeconds;
    }

    public Collection<EngineClient> clients() {
        return clients.values();
    }

    /** The client whose session {@code sink} is (a request's {@code RpcCall.sink()}); null outside the engine. */
    public EngineClient client(NotificationSink sink) {
        return sink instanceof RpcSession s ? clients.get(s) : null;
    }

    /**
     * The clients that introduced themselves ({@code session.hello}): who hears notifications that belong to no
     * request. A connection still being introduced gets nothing it did not ask for.
     */
    public List<NotificationSink> introducedClients() {
        return clients.values().stream().filter(EngineClient::introduced).map(c -> (NotificationSink) c.session()).toList();
    }

    public EnginePaths paths() {
        return paths;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
