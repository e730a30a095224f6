package io.llmcp.tooling.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code llmcp bench <area>}: benchmarks that report a ratio against a baseline measured in the same run. */
@Command(name = "bench", description = "Run a benchmark (results go to docs/BENCHMARKS.md by hand).",
        subcommands = {
                BenchProtocolCommand.class,
                BenchEchoChildCommand.class,
                GenerateBenchCommand.class,
                RequestBenchCommand.class,
                ApiBenchCommand.class,
                BenchStoreCommand.class,
                DownloadBenchCommand.class,
                ProxyBenchCommand.class,
                LoadBenchCommand.class,
                IdleBenchCommand.class,
                MemoryBenchCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
