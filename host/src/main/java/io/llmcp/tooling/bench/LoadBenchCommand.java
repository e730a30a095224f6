package io.llmcp.tooling.bench;

import io.llmcp.cli.JsonOutput;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.DirectoryModelSource;
import io.llmcp.inference.MallocTuning;
import io.llmcp.inference.MatMulModelWriter;
import io.llmcp.inference.ModelSession;
import io.llmcp.inference.OrtRuntime;
import io.llmcp.inference.ProcessMemory;
import io.llmcp.inference.SessionFactory;
import io.llmcp.tooling.testmodel.BenchModels;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench load}: cold-loads a model through {@link SessionFactory} from a {@code ModelSource}
 * (direct buffers, external data via addExternalInitializers) next to ORT's own {@code createSession(path)}
 * on the same files. Every load runs in a fresh child JVM so time and peak RSS (VmHWM) are not blurred by
 * an earlier load's freed-but-retained native memory. Models: the built-in MiniLM (weights inline, 90 MB), the
 * random-weight model with SmolLM2-135M's shape that the load goal names (weights inline, 542 MB) and a generated
 * one-MatMul model whose weights sit in two external-data parts ({@code --size-mb}).
 */
@Command(name = "load", description = "Cold model load from a ModelSource vs createSession(path): time and peak RSS.",
        subcommands = LoadBenchCommand.One.class)
public final class LoadBenchCommand implements Callable<Integer> {
    /** source: a directory ModelSource; store: the same files read out of an MVStore; path: ORT reads the file itself. */
    static final List<String> VARIANTS = List.of("source", "store", "path", "source-noprepack", "store-noprepack", "path-noprepack");
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size-mb", defaultValue = "512", description = "Size of the generated external-data model (0: skip it). Default: ${DEFAULT-VALUE}.")
    int sizeMb;

    @Option(names = "--runs", defaultValue = "3", description = "Loads per variant (the median is reported). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--work-dir", description = "Where to write the models (default: a temp dir, deleted afterwards).")
    Path workDir;

    @Option(names = "--smollm", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also load the random-weight model with SmolLM2-135M's shape (the load goal's model, weights inline, "
                    + "542 MB; built once and cached under --model-dir). Default: on.")
    boolean smollm;

    @Option(names = "--model-dir", description = "Where the SmolLM2-shaped model is built and cached (default: <tmp>/llmcp-bench-models).")
    Path modelDir;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean temp = workDir == null;
        Path dir = temp ? Files.createTempDirectory("llmcp-bench-load") : Files.createDirectories(workDir);
        try {
            List<BenchModel> models = new ArrayList<>();
            Path minilm = dir.resolve("all-minilm-l6-v2");
            Files.createDirectories(minilm);
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                Files.copy(in, minilm.resolve("model.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            models.add(new BenchModel("all-minilm-l6-v2", minilm, "model.onnx"));
            if (smollm) {
                Path llama = BenchModels.ensure(modelDir != null ? modelDir : BenchModels.defaultBase(),
                        LlamaShape.smolLm2_135m(), Variant.KV_CACHE, null);
                models.add(new BenchModel("smollm2-135m-shape", llama, "onnx/model.onnx"));
            }
            if (sizeMb > 0) {
                Path big = dir.resolve("matmul-" + sizeMb + "mb");
                int k = 4096;
                int n = (int) Math.max(1, (long) sizeMb * (1 << 20) / 4 / k);
                MatMulModelWriter.write(big, k, n, 2);
                models.add(new BenchModel(big.getFileName().toString(), big, "model.onnx"));
            }
            ObjectNode report = Json.object();
            report.put("runs", runs);
            var results = report.putArray("models");
            for (BenchModel model : models) {
                ObjectNode r = results.addObject();
                r.put("model", model.name());
                r.put("bytes", onnxBytes(model));
                Path store = dir.resolve("stores").resolve(model.name());
                BenchStores.ingest(model.dir(), model.onnxPath(), store);
                // Variants interleave (A B C A B C …) so a slow moment of a shared machine hits all of them alike.
                List<List<JsonNode>> samples = new ArrayList<>();
                for (String ignored : VARIANTS) samples.add(new ArrayList<>());
                for (int i = 0; i < runs; i++) {
                    for (int v = 0; v < VARIANTS.size(); v++) samples.get(v).add(child(dir, model, store, VARIANTS.get(v)));
                }
                for (int v = 0; v < VARIANTS.size(); v++) {
                    var all = Json.MAPPER.createArrayNode();
                    for (JsonNode sample : samples.get(v)) all.add(sample.path("millis").asLong());
                    ObjectNode m = ((ObjectNode) median(samples.get(v))).deepCopy();
                    m.set("allMillis", all);
                    r.set(VARIANTS.get(v), m);
                }
                long bytes = r.path("bytes").asLong();
                for (String variant : VARIANTS) {
                    ObjectNode v = (ObjectNode) r.path(variant);
                    v.put("peakOverModel", round(v.path("peakDelta").asDouble() / bytes));
                    v.put("loadedOverModel", round(v.path("loadedDelta").asDouble() / bytes));
                }
                // The figure of merit: our load against ORT reading the same files itself, same settings.
                r.put("timeRatio", round(r.path("source").path("millis").asDouble()
                        / Math.max(1, r.path("path").path("millis").asDouble())));
                r.put("timeRatioStore", round(r.path("store").path("millis").asDouble()
                        / Math.max(1, r.path("path").path("millis").asDouble())));
                r.put("timeRatioNoPrepack", round(r.path("source-noprepack").path("millis").asDouble()
                        / Math.max(1, r.path("path-noprepack").path("millis").asDouble())));
                r.put("timeRatioStoreNoPrepack", round(r.path("store-noprepack").path("millis").asDouble()
                        / Math.max(1, r.path("path-noprepack").path("millis").asDouble())));
            }
            if (json) {
                JsonOutput.print(out, report);
                return 0;
            }
            out.printf("%-22s %8s  %-17s %8s %9s %9s %7s %7s  %s%n", "model", "MB", "variant", "ms", "peak MB",
                    "loaded MB", "peak/x", "loaded/x", "every load, ms");
            for (JsonNode r : report.path("models")) {
                for (String variant : VARIANTS) {
                    JsonNode v = r.path(variant);
                    out.printf("%-22s %8.1f  %-17s %8d %9.1f %9.1f %7.2f %7.2f  %s%n", r.path("model").asText(),
                            mb(r.path("bytes").asLong()), variant, v.path("millis").asLong(), mb(v.path("peakDelta").asLong()),
                            mb(v.path("loadedDelta").asLong()), v.path("peakOverModel").asDouble(),
                            v.path("loadedOverModel").asDouble(), v.path("allMillis"));
                }
                out.printf("%-22s time ModelSource / createSession(path): %.2fx (prepack on), %.2fx (prepack off); "
                                + "from the store: %.2fx (prepack on), %.2fx (prepack off)%n",
                        r.path("model").asText(), r.path("timeRatio").asDouble(), r.path("timeRatioNoPrepack").asDouble(),
                        r.path("timeRatioStore").asDouble(), r.path("timeRatioStoreNoPrepack").asDouble());
            }
            out.println("peak/loaded: RSS growth over the JVM's RSS before the load (VmHWM / VmRSS), median of " + runs + " cold loads each");
            out.flush();
            return 0;
        } finally {
            if (temp) BenchFiles.deleteTree(dir);
        }
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    /** Median by load time; memory figures come from the same sample. */
    private static JsonNode median(List<JsonNode> samples) {
        samples.sort(Comparator.comparingLong(n -> n.path("millis").asLong()));
        return samples.get(samples.size() / 2);
    }

    private JsonNode child(Path workDir, BenchModel model, Path store, String variant) throws IOException, InterruptedException {
        // Same page-cache state for every variant (see BenchFiles.warm).
        BenchFiles.warm(model.dir());
        BenchFiles.warm(store);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xmx512m", "-XX:MaxDirectMemorySize=16g", "-cp", System.getProperty("java.class.path"),
                "io.llmcp.Main", "bench", "load", "one", "--variant", variant, "--onnx", model.onnxPath(),
                "--store", store.toString(), model.dir().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LLMCP_HOME", workDir.resolve("home").toString());
        MallocTuning.applyTo(pb.environment()); // as the engine that loads models in the product runs (every variant alike)
        Process p = pb.start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IOException("benchmark child failed (" + variant + ", " + model.name() + ")");
        return Json.MAPPER.readTree(stdout);
    }

    /** The bytes ORT loads: the .onnx file and its external-data parts beside it. */
    private static long onnxBytes(BenchModel model) throws IOException {
        Path onnx = model.dir().resolve(model.onnxPath());
        try (Stream<Path> s = Files.list(onnx.getParent())) {
            long sum = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith(onnx.getFileName().toString())) sum += Files.size(p);
            }
            return sum;
        }
    }

    /** A model directory and the path of its .onnx file inside it. */
    record BenchModel(String name, Path dir, String onnxPath) {
    }

    /** One cold load in this (fresh) process; prints {millis, rssBefore, peakDelta, loadedDelta, provider}. */
    @Command(name = "one", hidden = true)
    static final class One implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--variant", required = true)
        String variant;

        @Option(names = "--onnx", required = true)
        String onnxPath;

        @Option(names = "--store", required = true)
        Path store;

        @CommandLine.Parameters(index = "0")
        Path model;

        @Override
        public Integer call() throws Exception {
            OrtRuntime runtime = new OrtRuntime(new OrtRuntime.Settings("cpu", 0, 1, 0).withPrepack(!variant.endsWith("-noprepack")));
            runtime.env(); // ORT's native library and environment are not part of a model's load
            SessionFactory factory = new SessionFactory(runtime);
            factory.warmUp(); // nor is the once-per-process probe (a long-running host pays it once)
            // Opening the store is the host's start-up, not the model's load.
            BenchStores.Opened storeSource = variant.startsWith("store") ? BenchStores.open(store) : null;
            System.gc();
            ProcessMemory.resetPeak();
            long before = ProcessMemory.rss();
            long start = System.nanoTime();
            String provider;
            AutoCloseable loaded;
            if (variant.startsWith("source")) {
                ModelSession s = factory.open(new DirectoryModelSource("bench", model), onnxPath);
                provider = s.provider();
                loaded = s;
            } else if (variant.startsWith("store")) {
                ModelSession s = factory.open(storeSource, storeSource.onnxPath());
                provider = s.provider();
                loaded = () -> {
                    s.close();
                    storeSource.close();
                };
            } else {
                OrtSession.SessionOptions options = runtime.options(OrtRuntime.CPU);
                OrtSession s = runtime.env().createSession(model.resolve(onnxPath).toString(), options);
                provider = OrtRuntime.CPU;
                loaded = () -> {
                    s.close();
                    options.close();
                };
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long peak = ProcessMemory.peakRss();
            long after = ProcessMemory.rss();
            ObjectNode r = Json.object().put("variant", variant).put("millis", millis).put("rssBefore", before)
                    .put("peakDelta", peak - before).put("loadedDelta", after - before).put("provider", provider);
            loaded.close();
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.MAPPER.writeValueAsString(r));
            out.flush();
            return 0;
        }
    }
}
