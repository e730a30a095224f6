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
 * hashing, same run; then the store file's size along a pull's path ({@link StorePullPath}: small files, parallel
 * ranged parts from a loopback server, cancelled and resumed, a second model, rm + compact). Run it with {@code java -Xmx256m -XX:MaxDirectMemorySize=2g -jar llmcp-host.jar bench store}.
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

    @Option(names = "--pull-size", defaultValue = "512m", description = "Model size of the pull-path run (0 = skip it). Default: ${DEFAULT-VALUE}.")
    String pullSize;

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
            long pullBytes = Sizes.parse(pullSize);
            if (pullBytes > 0) {
                result.set("pullPath", new StorePullPath(work, pullBytes, opts, line -> {
                    if (!json) {
                        out.println("pull path: " + line);
                        out.flush();
                    }
                }).run());
            }
            if (json) {
                JsonOutput.print(out, result);
            } else {
                out.printf("median ratios: ingest %.2fx plain write (goal 0.5), read-back %.2fx plain read (goal 0.8), "
                                + "verified read-back %.2fx%n", result.path("medianIngestRatio").asDouble(),
                        result.path("medianReadRatio").asDouble(), result.path("medianVerifiedReadRatio").asDouble());
                if (result.has("pullPath")) {
                    out.printf("pull path: store.mv / stored bytes %.4fx after the pull, %.4fx after rm + compact (goal <= 1.05)%n",
                            result.path("pullPath").path("afterPull").path("ratio").asDouble(),
                            result.path("pullPath").path("afterRmCompact").path("ratio").asDouble());
                }
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
