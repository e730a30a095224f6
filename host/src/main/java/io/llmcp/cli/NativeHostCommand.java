package io.llmcp.cli;

import io.llmcp.app.DataDir;
import io.llmcp.app.HostConfig;
import io.llmcp.host.Host;
import io.llmcp.app.Stdio;
import io.llmcp.engine.EngineLauncher;
import io.llmcp.engine.EnginePaths;
import io.llmcp.proxy.EngineProxy;
import io.llmcp.proxy.ProxySpin;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.RpcSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp native-host}: what the browser launches. By default a thin proxy to the user's engine
 * (started when none runs), so every browser and the CLI share one store and a download survives the
 * browser closing. With {@code --no-engine} it serves in this process, as the only user of the store.
 * Either way: native-messaging frames on stdin/stdout until stdin closes, then exit 0.
 */
@Command(name = "native-host", description = "Serve the browser over native messaging on stdin/stdout.")
public final class NativeHostCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NativeHostCommand.class);
    static final int EXIT_ORIGIN_REFUSED = 3;

    @Option(names = "--origin", description = "The caller's origin (set by the browser launch).")
    String origin;

    @Option(names = "--no-engine", description = "Serve in this process instead of proxying to the shared engine.")
    boolean noEngine;

    @Option(names = "--spin-micros", hidden = true,
            description = "Override config engine.proxySpinMicros: µs the proxy polls for an answer before sleeping (0: never).")
    Long spinMicros;

    @Option(names = "--idle-spin-micros", hidden = true,
            description = "Override config engine.proxyIdleSpinMicros: µs it polls for the browser's next request.")
    Long idleSpinMicros;

    @Option(names = "--max-frame-bytes", description = "Largest incoming frame accepted (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes = FrameReader.DEFAULT_MAX_FRAME_BYTES;

    @Override
    public Integer call() {
        HostConfig config = HostConfig.load(DataDir.resolve());
        Set<String> allowed = config.allowedOrigins();
        if (origin != null && !allowed.contains(origin)) {
            log.error("refusing origin {}: not in the allow-list {} (add it with 'llmcp install --extension-id')", origin, allowed);
            return EXIT_ORIGIN_REFUSED;
        }
        FrameReader reader = new FrameReader(new BufferedInputStream(Stdio.stdin(), 1 << 16), maxFrameBytes, ByteOrder.nativeOrder());
        FrameWriter writer = new FrameWriter(new BufferedOutputStream(Stdio.stdout(), 1 << 16));
        return noEngine ? serveInProcess(reader, writer) : proxy(reader, writer, spin(config));
    }

    private ProxySpin spin(HostConfig config) {
        ProxySpin configured = ProxySpin.fromConfig(config.section("engine"));
        long reply = spinMicros != null ? spinMicros : configured.replyNanos() / 1000;
        long idle = idleSpinMicros != null ? idleSpinMicros : spinMicros != null ? spinMicros : configured.idleNanos() / 1000;
        return ProxySpin.ofMicros(reply, idle);
    }

    private Integer proxy(FrameReader reader, FrameWriter writer, ProxySpin spin) {
        log.info("native host proxy started, pid {}, origin {}", ProcessHandle.current().pid(), origin == null ? "(none)" : origin);
        EngineLauncher launcher = EngineConnection.launcher(EnginePaths.resolve());
        return new EngineProxy(launcher, origin, reader, writer, spin).run();
    }

    private Integer serveInProcess(FrameReader reader, FrameWriter writer) {
        Host host = Host.open(DataDir.resolve());
        try {
            log.info("native host started in-process, pid {}, origin {}", ProcessHandle.current().pid(), origin == null ? "(none)" : origin);
            ExecutorService workers = Executors.newCachedThreadPool(daemonThreads());
            RpcSession session = new RpcSession(reader, writer, host.methods(), workers, origin == null ? "local" : origin);
            // alone with the store, this browser is every client there is: it hears all model changes
            host.notifyClientsVia(session);
            session.run(5_000);
            workers.shutdownNow();
            log.info("stdin closed; native host exiting");
            return 0;
        } finally {
            host.close();
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "rpc-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
