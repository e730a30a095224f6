package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.DecoderSpec;
import io.llmcp.inference.GenerationResult;
import io.llmcp.inference.Generator;
import io.llmcp.inference.ModelSession;
import io.llmcp.inference.OrtRuntime;
import io.llmcp.inference.ProcessMemory;
import io.llmcp.inference.SamplingParams;
import io.llmcp.inference.SessionFactory;
import io.llmcp.inference.TextTokenizer;
import io.llmcp.inference.TokenListener;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One {@code bench memory} sample in this fresh process: load the model from the store the candidate's way, generate
 * once, stay idle; prints whole-process RSS figures (VmHWM, VmRSS) and speeds as one JSON line.
 */
@Command(name = "one", hidden = true)
final class MemoryBenchChild implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--candidate", required = true)
    MemoryCandidate candidate;

    @Option(names = "--store", required = true)
    Path store;

    @Option(names = "--mapped", required = true)
    Path mapped;

    @Option(names = "--prompt-tokens", defaultValue = "180")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "128")
    int newTokens;

    @Option(names = "--idle-seconds", defaultValue = "5")
    int idleSeconds;

    @Override
    public Integer call() throws Exception {
        OrtRuntime runtime = candidate.runtime();
        runtime.env(); // ORT's library and environment are the host's start-up, not the model's load
        SessionFactory factory = new SessionFactory(runtime, candidate.mapped() ? mapped : null);
        factory.warmUp();
        try (BenchStores.Opened source = BenchStores.open(store)) {
            System.gc();
            long base = ProcessMemory.rss();
            long start = System.nanoTime();
            try (ModelSession session = factory.open(source, source.onnxPath())) {
                double loadMs = (System.nanoTime() - start) / 1e6;
                long loadPeak = ProcessMemory.peakRss();
                long loaded = ProcessMemory.rss();
                JsonNode config = Json.MAPPER.readTree(source.readText("config.json"));
                JsonNode gen = source.has("generation_config.json") ? Json.MAPPER.readTree(source.readText("generation_config.json")) : null;
                // Random weights may pick an eos id early; every candidate must run exactly newTokens steps.
                DecoderSpec decoder = DecoderSpec.from(config, gen, session.session()).withEosIds(Set.of());
                try (TextTokenizer tokenizer = TextTokenizer.fromBytes(source.readText("tokenizer.json").getBytes(StandardCharsets.UTF_8))) {
                    Generator generator = new Generator(session.session(), decoder, tokenizer, session.provider());
                    long[] prompt = GenerateBenchCommand.prompt(tokenizer, promptTokens);
                    long[] rssAt = new long[3]; // after the first token, half-way, at the last
                    int[] n = {0};
                    GenerationResult r = generator.generate(prompt, SamplingParams.greedy(newTokens), CancellationToken.none(),
                            (text, id) -> {
                                n[0]++;
                                if (n[0] == 1) rssAt[0] = ProcessMemory.rss();
                                if (n[0] == newTokens / 2) rssAt[1] = ProcessMemory.rss();
                                if (n[0] == newTokens) rssAt[2] = ProcessMemory.rss();
                            });
                    long peak = ProcessMemory.peakRss();
                    long steady = ProcessMemory.rss();
                    long pid = ProcessHandle.current().pid();
                    long cpuBefore = ProcessCpu.nanos(pid);
                    long idleStart = System.nanoTime();
                    Thread.sleep(idleSeconds * 1000L);
                    double idleCpu = 100.0 * (ProcessCpu.nanos(pid) - cpuBefore) / Math.max(1, System.nanoTime() - idleStart);
                    long afterIdle = ProcessMemory.rss();
                    ObjectNode o = Json.object().put("candidate", candidate.id()).put("baseMb", mb(base)).put("loadMs", loadMs)
                            .put("loadPeakMb", mb(loadPeak)).put("loadedMb", mb(loaded)).put("peakMb", mb(peak))
                            .put("steadyMb", mb(steady)).put("ttftMs", r.timeToFirstTokenMs())
                            .put("tokensPerSecond", r.tokensPerSecond()).put("idleCpuPercent", idleCpu)
                            .put("firstTokenMb", mb(rssAt[0])).put("halfMb", mb(rssAt[1])).put("lastTokenMb", mb(rssAt[2]))
                            .put("afterIdleMb", mb(afterIdle)).put("generated", r.generatedTokens()).put("tokenHash", Integer.toHexString(Arrays.hashCode(r.tokenIds())));
                    PrintWriter out = spec.commandLine().getOut();
                    out.println(Json.MAPPER.writeValueAsString(o));
                    out.flush();
                }
            }
        }
        return 0;
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }
}
