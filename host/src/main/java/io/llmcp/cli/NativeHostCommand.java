package io.llmcp.cli;

import io.llmcp.app.DataDir;
import io.llmcp.app.HostContext;
import io.llmcp.app.Methods;
import io.llmcp.app.Stdio;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.RpcSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 * {@code llmcp native-host}: what the browser launches. Serves JSON-RPC over native-messaging frames on
 * stdin/stdout until stdin closes, then cancels in-flight work, closes the store and exits 0.
 */
@Command(name = "native-host", description = "Serve the browser over native messaging on stdin/stdout.")
public final class NativeHostCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NativeHostCommand.class);
    static final int EXIT_ORIGIN_REFUSED = 3;

    @Option(names = "--origin", description = "The caller's origin (set by the browser launch).")
    String origin;

    @Option(names = "--no-engine", description = "Serve in this process instead of proxying to the shared engine.")
    boolean noEngine;

    @Option(names = "--max-frame-bytes", description = "Largest incoming frame accepted (default: ${DEFAULT-VALUE}).")
    int maxFrameBytes = FrameReader.DEFAULT_MAX_FRAME_BYTES;

    @Override
    public Integer call() {
        HostContext ctx = HostContext.open(DataDir.resolve());
        try {
            Set<String> allowed = ctx.config().allowedOrigins();
            if (origin != null && !allowed.contains(origin)) {
                log.error("refusing origin {}: not in the allow-list {} (add it with 'llmcp install --extension-id')", origin, allowed);
                return EXIT_ORIGIN_REFUSED;
            }
            log.info("native host started, pid {}, origin {}", ProcessHandle.current().pid(), origin == null ? "(none)" : origin);
            ExecutorService workers = Executors.newCachedThreadPool(daemonThreads());
            FrameReader reader = new FrameReader(new BufferedInputStream(Stdio.stdin(), 1 << 16), maxFrameBytes,
                    java.nio.ByteOrder.nativeOrder());
            FrameWriter writer = new FrameWriter(new BufferedOutputStream(Stdio.stdout(), 1 << 16));
            RpcSession session = new RpcSession(reader, writer, Methods.create(ctx), workers, origin == null ? "local" : origin);
            session.run(5_000);
            workers.shutdownNow();
            log.info("stdin closed; native host exiting");
            return 0;
        } finally {
            ctx.close();
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
