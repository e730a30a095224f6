package io.llmcp.tooling.bench;

import io.llmcp.cli.JsonOutput;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.DecoderSpec;
import io.llmcp.inference.GenerationResult;
import io.llmcp.inference.Generator;
import io.llmcp.inference.SamplingParams;
import io.llmcp.inference.TextTokenizer;
import io.llmcp.inference.TokenListener;
import io.llmcp.tooling.testmodel.BenchModels;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench generate}: the project's Generator against a minimal hand-written ONNX Runtime loop on the
 * same random-weight model with SmolLM2-135M's shape, the same session, greedy decoding, in the same run.
 * Cold-load timing (store vs {@code createSession(path)}) belongs to the runtime benchmark: it can build the very
 * same model with {@link BenchModels#ensure}.
 */
@Command(name = "generate", description = "Generator vs a bare ORT loop: tokens/s, time to first token, peak RSS.")
public final class GenerateBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-dir", description = "Where benchmark models are built and cached (default: <tmp>/llmcp-bench-models).")
    Path modelDir;

    @Option(names = "--prompt-tokens", defaultValue = "128")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "128")
    int newTokens;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs of each loop (alternating), after one warm-up.")
    int runs;

    @Option(names = "--threads", defaultValue = "0", description = "ORT intra-op threads (0 = ORT default).")
    int threads;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--tiny", description = "Use the tiny test shape instead of SmolLM2-135M's (a quick smoke run).")
    boolean tiny;

    @Option(names = "--json", description = "Print the measurements as JSON.")
    boolean json;

    @Option(names = "--no-prepack", description = "Disable ORT's weight prepacking (session.disable_prepacking), as inference.prepack=false does.")
    boolean noPrepack;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LlamaShape base = tiny ? TestModels.tinyShape() : LlamaShape.smolLm2_135m();
        LlamaShape shape = base.withSeed(seed);
        boolean[] built = new boolean[1];
        long buildStart = System.nanoTime();
        Path dir = BenchModels.ensure(modelDir != null ? modelDir : BenchModels.defaultBase(), shape, Variant.KV_CACHE, built);
        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
        Path model = dir.resolve(TestModels.MODEL_FILE);
        if (!json) {
            out.printf("model %s (%.0f MB, %s in %.1f s)%n", dir, Files.size(model) / 1e6,
                    built[0] ? "built" : "cached", buildSeconds);
            out.flush();
        }

        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        if (threads > 0) options.setIntraOpNumThreads(threads);
        if (noPrepack) options.addConfigEntry("session.disable_prepacking", "1");
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toString(), options);
             TextTokenizer tokenizer = TextTokenizer.fromFile(dir.resolve("tokenizer.json"))) {
            DecoderSpec loaded = DecoderSpec.load(dir, session);
            // Random weights may pick an eos id early; both loops must run exactly newTokens steps.
            DecoderSpec spec = loaded.withEosIds(Set.of());
            Generator generator = new Generator(session, spec, tokenizer, "CPU");
            long[] prompt = prompt(tokenizer, promptTokens);

            bareLoop(session, spec, prompt, 8);
            generator.generate(prompt, SamplingParams.greedy(8), CancellationToken.none(), TokenListener.NONE);
            List<double[]> bare = new ArrayList<>();
            List<double[]> ours = new ArrayList<>();
            long[] bareIds = null;
            long[] ourIds = null;
            // Alternate which loop goes first, so drift in machine load does not favour either.
            for (int r = 0; r < 2 * runs; r++) {
                long cpuBefore = processCpuNanos();
                if ((r + r / 2) % 2 == 0) {
                    BareRun b = bareLoop(session, spec, prompt, newTokens);
                    double cpuMsPerToken = (processCpuNanos() - cpuBefore) / 1e6 / newTokens;
                    bare.add(new double[]{b.tokensPerSecond, b.ttftMs, cpuMsPerToken});
                    bareIds = b.tokens;
                } else {
                    StringBuilder streamed = new StringBuilder();
                    GenerationResult g = generator.generate(prompt, SamplingParams.greedy(newTokens),
                            CancellationToken.none(), (text, id) -> streamed.append(text));
                    double cpuMsPerToken = (processCpuNanos() - cpuBefore) / 1e6 / newTokens;
                    ours.add(new double[]{g.tokensPerSecond(), g.timeToFirstTokenMs(), cpuMsPerToken});
                    ourIds = g.tokenIds();
                }
            }
            double bareTps = median(bare, 0);
            double ourTps = median(ours, 0);
            double bareTtft = median(bare, 1);
            double ourTtft = median(ours, 1);
            double bareCpu = median(bare, 2);
            double ourCpu = median(ours, 2);
            ObjectNode result = Json.object();
            result.put("shape", tiny ? "tiny" : "SmolLM2-135M");
            result.put("modelBytes", Files.size(model));
            result.put("promptTokens", prompt.length);
            result.put("newTokens", newTokens);
            result.put("runs", runs);
            result.put("generatorTokensPerSecond", round(ourTps));
            result.put("bareTokensPerSecond", round(bareTps));
            result.put("tokensPerSecondRatio", Math.round(ourTps / bareTps * 1000) / 1000.0);
            result.put("generatorTtftMs", round(ourTtft));
            result.put("bareTtftMs", round(bareTtft));
            result.put("ttftRatio", Math.round(ourTtft / bareTtft * 1000) / 1000.0);
            result.put("generatorCpuMsPerToken", round(ourCpu));
            result.put("bareCpuMsPerToken", round(bareCpu));
            result.put("cpuRatio", Math.round(ourCpu / bareCpu * 1000) / 1000.0);
            result.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            result.put("sameTokens", Arrays.equals(bareIds, ourIds));
            result.put("peakRssMB", Math.round(peakRssKb() / 1024.0));
            if (json) {
                JsonOutput.print(out, result);
            } else {
                out.printf("prompt %d tokens, %d new tokens, greedy, %d runs each (median)%n", prompt.length, newTokens, runs);
                out.printf("%-12s %10s %10s %14s%n", "", "tokens/s", "TTFT ms", "CPU ms/token");
                out.printf("%-12s %10.1f %10.1f %14.1f%n", "bare ORT", bareTps, bareTtft, bareCpu);
                out.printf("%-12s %10.1f %10.1f %14.1f%n", "Generator", ourTps, ourTtft, ourCpu);
                out.printf("ratio        %10.3f %10.3f %14.3f   (tokens/s: higher is better; the others: lower)%n",
                        ourTps / bareTps, ourTtft / bareTtft, ourCpu / bareCpu);
                out.printf("load average %.1f (wall-clock figures are noisy when it exceeds the core count;"
                        + " CPU ms/token is not)%n", result.get("loadAverage").asDouble());
                out.printf("same tokens: %s, peak RSS %d MB%n", result.get("sameTokens").asBoolean(),
                        result.get("peakRssMB").asLong());
            }
            out.flush();
            return Arrays.equals(bareIds, ourIds) ? 0 : 1;
        }
    }

    /** A deterministic prompt of exactly {@code n} tokens from ordinary text. */
    static long[] prompt(TextTokenizer tokenizer, int n) {
        StringBuilder text = new StringBuilder();
        long[] ids = new long[0];
        while (ids.length < n) {
            text.append("The quick brown fox jumps over the lazy dog while the assistant explains language models. ");
            ids = tokenizer.encode(text.toString());
        }
        return Arrays.copyOf(ids, n);
    }

    private record BareRun(long[] tokens, double ttftMs, double tokensPerSecond) {
    }

    /** The baseline: the least code that runs this model with ORT Java (argmax, present fed back as past). */
    private static BareRun bareLoop(OrtSession session, DecoderSpec spec, long[] prompt, int steps) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] out = new long[steps];
        long start = System.nanoTime();
        long first = 0;
        OrtSession.Result previous = null;
        long[] ids = prompt;
        int past = 0;
        try {
            for (int step = 0; step < steps; step++) {
                int n = ids.length;
                Map<String, OnnxTensor> created = new HashMap<>();
                Map<String, OnnxTensor> feed = new HashMap<>();
                created.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[]{1, n}));
                long[] mask = new long[past + n];
                Arrays.fill(mask, 1);
                created.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[]{1, past + n}));
                long[] pos = new long[n];
                for (int i = 0; i < n; i++) pos[i] = past + i;
                created.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[]{1, n}));
                for (int l = 0; l < spec.layers(); l++) {
                    for (String kind : new String[]{"key", "value"}) {
                        String name = "past_key_values." + l + "." + kind;
                        if (previous == null) {
                            created.put(name, OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                                    new long[]{1, spec.kvHeads(), 0, spec.headDim()}));
                        } else {
                            feed.put(name, (OnnxTensor) previous.get("present." + l + "." + kind).get());
                        }
                    }
                }
                feed.putAll(created);
                OrtSession.Result result = session.run(feed);
                created.values().forEach(OnnxTensor::close);
                if (previous != null) previous.close();
                previous = result;
                OnnxTensor logits = (OnnxTensor) result.get("logits").get();
                long[] shape = logits.getInfo().getShape();
                int vocab = (int) shape[2];
                FloatBuffer all = logits.getFloatBuffer();
                int best = 0;
                float bestValue = Float.NEGATIVE_INFINITY;
                int offset = (n - 1) * vocab;
                for (int v = 0; v < vocab; v++) {
                    float x = all.get(offset + v);
                    if (x > bestValue) {
                        bestValue = x;
                        best = v;
                    }
                }
                out[step] = best;
                if (step == 0) first = System.nanoTime();
                past += n;
                ids = new long[]{best};
            }
        } finally {
            if (previous != null) previous.close();
        }
        long end = System.nanoTime();
        double tps = steps > 1 ? (steps - 1) / ((end - first) / 1e9) : steps / ((end - start) / 1e9);
        return new BareRun(out, (first - start) / 1e6, tps);
    }

    private static double median(List<double[]> runs, int index) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** CPU time of the whole process (all ORT threads), robust against other load on the machine. */
    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** Peak resident set size of this process (Linux VmHWM), 0 where /proc is unavailable. */
    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
