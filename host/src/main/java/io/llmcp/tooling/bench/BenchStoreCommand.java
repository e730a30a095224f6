package io.llmcp.tooling.bench;

import io.llmcp.cli.JsonOutput;
import io.llmcp.cli.Sizes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.tooling.bench.StoreBenchmark;
import io.llmcp.store.StoreOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench store}: store ingest/read-back against plain FileChannel I/O of the same bytes with the same
 * hashing, same run. Run it with {@code java -Xmx256m -XX:MaxDirectMemorySize=2g -jar llmcp-host.jar bench store}.
 */
@Command(name = "store", description = "Store ingest and read-back vs plain file I/O (same data, same SHA-256), as ratios.")
public final class BenchStoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", defaultValue = "1g", description = "Blob size (e.g. 1g, 256m). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--reps", defaultValue = "3", description = "Repetitions; ratios are per repetition, medians reported.")
    int reps;

    @Option(names = "--chunk-size", defaultValue = "4m", description = "Store chunk size. Default: ${DEFAULT-VALUE}.")
    String chunkSize;

    @Option(names = "--commit", defaultValue = "8m", description = "Commit interval. Default: ${DEFAULT-VALUE}.")
    String commit;

    @Option(names = "--dir", description = "Scratch directory (default: a temp dir, deleted after).")
    Path dir;

    @Option(names = "--compression", description = "Also measure MVStore compression on the bundled ONNX weights and tokenizer JSON.")
    boolean compression;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = dir != null ? dir : Files.createTempDirectory("llmcp-bench-store");
        StoreOptions opts = StoreOptions.defaults().withChunkSize((int) Sizes.parse(chunkSize)).withCommitBytes(Sizes.parse(commit));
        StoreBenchmark bench = new StoreBenchmark(work, Sizes.parse(size), opts, line -> {
            if (!json) {
                out.println(line);
                out.flush();
            }
        });
        try {
            ObjectNode result = bench.run(reps);
            if (compression) result.set("compression", bench.compression());
            if (json) {
                JsonOutput.print(out, result);
            } else {
                out.printf("median ratios: ingest %.2fx plain write (goal 0.5), read-back %.2fx plain read (goal 0.8), "
                                + "verified read-back %.2fx%n", result.path("medianIngestRatio").asDouble(),
                        result.path("medianReadRatio").asDouble(), result.path("medianVerifiedReadRatio").asDouble());
            }
            out.flush();
            return 0;
        } finally {
            if (dir == null) {
                try (var s = Files.list(work)) {
                    s.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(work);
            }
        }
    }
}
