package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.cli.JsonOutput;
import io.llmcp.inference.JvmTuning;
import io.llmcp.inference.MallocTuning;
import io.llmcp.protocol.Json;
import io.llmcp.tooling.testmodel.BenchModels;
import io.llmcp.tooling.testmodel.Dtype;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench memory}: how each way of loading a model out of the store costs memory and decode speed. Each
 * candidate ({@link MemoryCandidate}) runs in fresh child JVMs, interleaved run by run: the model read from the store
 * and loaded, one greedy generation, then a few seconds idle. Reported per candidate (medians): load time, peak RSS
 * while loading, RSS once loaded, peak RSS of the whole process, RSS after generating, time to first token, decode
 * tokens/s and the CPU an idle engine burns; every candidate must produce the same token ids.
 */
@Command(name = "memory", description = "Loading candidates from the store: peak/steady RSS, decode tokens/s, idle CPU.",
        subcommands = MemoryBenchChild.class)
public final class MemoryBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--candidates", split = ",", description = "Which candidates (default: all of them): ${COMPLETION-CANDIDATES}.")
    List<MemoryCandidate> candidates = List.of(MemoryCandidate.values());

    @Option(names = "--dtype", split = ",", defaultValue = "fp32,q4", description = "Weight formats of the SmolLM2-135M-shaped model. Default: ${DEFAULT-VALUE}.")
    List<String> dtypes;

    @Option(names = "--inline", description = "Weights inline in the .onnx file instead of external data.")
    boolean inline;

    @Option(names = "--runs", defaultValue = "3", description = "Child processes per candidate (medians). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--prompt-tokens", defaultValue = "180")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "128")
    int newTokens;

    @Option(names = "--idle-seconds", defaultValue = "5", description = "Idle time measured after generating. Default: ${DEFAULT-VALUE}.")
    int idleSeconds;

    @Option(names = "--model-dir", description = "Where the models are built and cached (default: <tmp>/llmcp-bench-models).")
    Path modelDir;

    @Option(names = "--work-dir", description = "Stores and mapped files (default: a temp dir, deleted afterwards).")
    Path workDir;

    @Option(names = "--child-jvm", description = "JVM options of the children instead of the product's (JvmTuning), "
            + "e.g. \"-XX:+UseG1GC\" for the JVM's own defaults.")
    String childJvm;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean temp = workDir == null;
        Path work = temp ? Files.createTempDirectory("llmcp-bench-memory") : Files.createDirectories(workDir);
        try {
            ObjectNode report = Json.object().put("childJvm", childJvm != null ? childJvm : JvmTuning.OPTIONS_TEXT).put("runs", runs).put("promptTokens", promptTokens).put("newTokens", newTokens);
            ArrayNode models = report.putArray("models");
            for (String d : dtypes) {
                Dtype dtype = Dtype.parse(d);
                Path dir = BenchModels.ensure(modelDir != null ? modelDir : BenchModels.defaultBase(), LlamaShape.smolLm2_135m(),
                        Variant.KV_CACHE, dtype, !inline, null);
                Path store = work.resolve("store-" + dtype.id);
                if (!Files.exists(store.resolve("store.mv"))) BenchStores.ingest(dir, dtype.modelFile, store);
                long bytes = modelBytes(dir.resolve(dtype.modelFile));
                ObjectNode m = models.addObject().put("model", dir.getFileName().toString()).put("dtype", dtype.id).put("bytes", bytes);
                Map<MemoryCandidate, List<JsonNode>> samples = new LinkedHashMap<>();
                for (MemoryCandidate c : candidates) samples.put(c, new ArrayList<>());
                // Interleaved (A B C A B C …) so a busy moment of a shared machine hits every candidate alike.
                for (int r = 0; r < runs; r++) {
                    for (MemoryCandidate c : candidates) samples.get(c).add(child(work, store, c));
                }
                ObjectNode byCandidate = m.putObject("candidates");
                String ids = null;
                for (Map.Entry<MemoryCandidate, List<JsonNode>> e : samples.entrySet()) {
                    ObjectNode s = summary(e.getValue());
                    byCandidate.set(e.getKey().id(), s);
                    String mine = e.getValue().get(0).path("tokenHash").asText();
                    if (ids == null) ids = mine;
                    s.put("sameTokens", mine.equals(ids));
                }
            }
            if (json) {
                JsonOutput.print(out, report);
            } else {
                print(out, report);
            }
            out.flush();
            return 0;
        } finally {
            if (temp) BenchFiles.deleteTree(work);
        }
    }

    private JsonNode child(Path work, Path store, MemoryCandidate c) throws IOException, InterruptedException {
        BenchFiles.warm(store); // every candidate reads the store from the page cache, none from disk
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:MaxDirectMemorySize=16g"));
        // The JVM options the engine and the launchers start with, unless the run compares others.
        cmd.addAll(childJvm != null ? List.of(childJvm.trim().split("\\s+")) : JvmTuning.OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.llmcp.Main", "bench", "memory", "one", "--candidate", c.name(), "--store", store.toString(),
                "--mapped", work.resolve("mapped").toString(), "--prompt-tokens", Integer.toString(promptTokens),
                "--new-tokens", Integer.toString(newTokens), "--idle-seconds", Integer.toString(idleSeconds)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LLMCP_HOME", work.resolve("home").toString());
        MallocTuning.applyTo(pb.environment()); // as the engine runs
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IOException("benchmark child failed (" + c + ")");
        return Json.MAPPER.readTree(stdout);
    }

    static final String[] FIELDS = {"loadMs", "loadPeakMb", "loadedMb", "peakMb", "steadyMb", "ttftMs", "tokensPerSecond", "idleCpuPercent"};

    /** Medians of every figure (each on its own), plus the raw samples. */
    private static ObjectNode summary(List<JsonNode> samples) {
        ObjectNode s = Json.object();
        for (String f : FIELDS) {
            List<Double> v = new ArrayList<>();
            for (JsonNode n : samples) v.add(n.path(f).asDouble());
            v.sort(Comparator.naturalOrder());
            s.put(f, Math.round(v.get(v.size() / 2) * 10) / 10.0);
        }
        ArrayNode all = s.putArray("samples");
        samples.forEach(all::add);
        return s;
    }

    private static void print(PrintWriter out, JsonNode report) {
        out.printf("%d-token prompt, %d new tokens, greedy; medians of %d fresh processes per candidate (JVM %s); "
                        + "MB = MiB of whole-process RSS%n", report.path("promptTokens").asInt(), report.path("newTokens").asInt(),
                report.path("runs").asInt(), report.path("childJvm").asText());
        for (JsonNode m : report.path("models")) {
            out.printf("%n%s (%s, %.0f MB of model files)%n", m.path("model").asText(), m.path("dtype").asText(),
                    m.path("bytes").asLong() / 1048576.0);
            out.printf("%-22s %8s %10s %9s %8s %9s %8s %8s %9s  %s%n", "candidate", "load ms", "load peak", "loaded",
                    "peak", "steady", "TTFT ms", "tok/s", "idle CPU", "same tokens");
            m.path("candidates").fields().forEachRemaining(e -> {
                JsonNode c = e.getValue();
                out.printf("%-22s %8.0f %10.0f %9.0f %8.0f %9.0f %8.1f %8.1f %8.2f%%  %s%n", e.getKey(), c.path("loadMs").asDouble(),
                        c.path("loadPeakMb").asDouble(), c.path("loadedMb").asDouble(), c.path("peakMb").asDouble(),
                        c.path("steadyMb").asDouble(), c.path("ttftMs").asDouble(), c.path("tokensPerSecond").asDouble(),
                        c.path("idleCpuPercent").asDouble(), c.path("sameTokens").asBoolean());
            });
        }
    }

    /** The .onnx file and its external-data parts beside it. */
    private static long modelBytes(Path onnx) throws IOException {
        long sum = 0;
        try (var s = Files.list(onnx.getParent())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(onnx.getFileName().toString())) sum += Files.size(p);
            }
        }
        return sum;
    }
}
