package io.llmcp.tooling.bench;

import io.llmcp.inference.ClasspathModelSource;
import io.llmcp.inference.Embedder;
import io.llmcp.inference.OrtRuntime;
import io.llmcp.inference.SessionFactory;
import io.llmcp.protocol.CancellationToken;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench idle}: CPU used by this process while a model sits loaded between requests, with the
 * host's session options (thread-pool spinning off) next to ORT's default (spinning on) in the same run.
 * Each round embeds a batch (MiniLM), then measures process CPU time over the idle gap that follows.
 */
@Command(name = "idle", description = "CPU cost of a loaded, idle model: spinning off (ours) vs ORT's default.")
public final class IdleBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Request + idle gap rounds. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--gap-ms", defaultValue = "2000", description = "Idle gap after each request. Default: ${DEFAULT-VALUE}.")
    int gapMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        double ours = idleCpu(false), ortDefault = idleCpu(true);
        out.printf("idle CPU between requests (%% of one core, %d gaps of %d ms): spinning off %.2f%%, ORT default %.2f%%%n",
                rounds, gapMs, ours, ortDefault);
        out.flush();
        return 0;
    }

    private double idleCpu(boolean spinning) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OrtRuntime runtime = new OrtRuntime(OrtRuntime.Settings.defaults().withSpinning(spinning));
        List<String> batch = List.of("a sentence to embed, long enough to keep a few threads busy ".repeat(8));
        long idleCpu = 0, idleWall = 0;
        try (Embedder e = Embedder.load(new SessionFactory(runtime), ClasspathModelSource.minilm())) {
            for (int i = 0; i < rounds; i++) {
                e.embed(batch, Embedder.Pooling.MEAN, true, 8, CancellationToken.none());
                long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                Thread.sleep(gapMs);
                idleCpu += os.getProcessCpuTime() - c0;
                idleWall += System.nanoTime() - t0;
            }
        }
        return 100.0 * idleCpu / idleWall;
    }
}
