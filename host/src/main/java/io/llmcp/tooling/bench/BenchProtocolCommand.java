package io.llmcp.tooling.bench;

import io.llmcp.tooling.bench.LatencyStats;
import io.llmcp.tooling.bench.ProtocolBench;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp bench protocol}: JSON-RPC round trips over real pipes next to a raw frame echo. */
@Command(name = "protocol", description = "Round trips/s and p50/p99 over real pipes vs a raw echo baseline.")
public final class BenchProtocolCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", description = "Measured round trips per run (default ${DEFAULT-VALUE}).")
    int count = 20_000;

    @Option(names = "--warmup", description = "Warm-up round trips (default ${DEFAULT-VALUE}).")
    int warmup = 5_000;

    @Option(names = "--runs", description = "Alternating runs of each (default ${DEFAULT-VALUE}).")
    int runs = 3;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Files.createTempDirectory("llmcp-bench-protocol");
        out.printf("%-22s %10s %10s %10s%n", "run", "trips/s", "p50 µs", "p99 µs");
        for (int i = 1; i <= runs; i++) {
            LatencyStats base = ProtocolBench.rawEcho(home, warmup, count);
            LatencyStats rpc = ProtocolBench.rpc(home, warmup, count);
            print(out, "raw echo #" + i, base);
            print(out, "json-rpc host.echo #" + i, rpc);
            out.printf("  ratio throughput %.2f, p99 +%.0f µs%n", rpc.perSecond() / base.perSecond(), rpc.p99Micros() - base.p99Micros());
            out.flush();
        }
        return 0;
    }

    private static void print(PrintWriter out, String name, LatencyStats s) {
        out.printf("%-22s %10.0f %10.1f %10.1f%n", name, s.perSecond(), s.p50Micros(), s.p99Micros());
    }
}
