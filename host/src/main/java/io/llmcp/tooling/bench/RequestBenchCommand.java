package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.cli.JsonOutput;
import io.llmcp.host.Host;
import io.llmcp.models.ModelFile;
import io.llmcp.models.ModelRecord;
import io.llmcp.models.ModelRegistry;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.store.BlobInfo;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench request}: the latency of a warm {@code generate} request through the host's whole request
 * path (method table, interceptors, model lookup in the registry, session cache lease, generation, result JSON)
 * on a model in a real store — what a chat pays per turn besides the tokens themselves. The model (the tiny test
 * chat model, deterministic weights, greedy decoding) is loaded once by a warm-up request; every measured request
 * reuses the session, so any store write on the request path shows up here.
 */
@Command(name = "request", description = "Warm generate request latency through the host's request path (store-backed model).")
public final class RequestBenchCommand implements Callable<Integer> {
    static final String MODEL_ID = "bench-tiny";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", defaultValue = "200", description = "Measured requests, after one warm-up that loads the model.")
    int requests;

    @Option(names = "--new-tokens", defaultValue = "16")
    int newTokens;

    @Option(names = "--json", description = "Print the measurements as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("llmcp-bench-request");
        try {
            Path model = TestModels.writeTinyChatModel(tmp.resolve("model"), Variant.KV_CACHE);
            try (Host host = Host.open(tmp.resolve("home"))) {
                seed(host.models(), model);
                MethodRegistry methods = host.methods();
                ObjectNode params = Json.object().put("modelId", MODEL_ID).put("prompt", "Once upon a time");
                params.putObject("params").put("maxNewTokens", newTokens).put("temperature", 0);
                JsonNode first = generate(methods, params);
                double[] ms = new double[requests];
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    generate(methods, params);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                long loadCount = host.models().getModel(MODEL_ID).orElseThrow().loadCount();
                ObjectNode r = Json.object().put("requests", requests).put("generatedTokens", first.get("generatedTokens").asInt())
                        .put("medianMs", round(ms[ms.length / 2])).put("p10Ms", round(ms[ms.length / 10]))
                        .put("p90Ms", round(ms[ms.length * 9 / 10])).put("meanMs", round(Arrays.stream(ms).average().orElse(0)))
                        .put("loadCount", loadCount);
                if (json) {
                    JsonOutput.print(out, r);
                } else {
                    out.printf("warm generate (%d new tokens, %d requests): median %.2f ms, p10 %.2f, p90 %.2f, mean %.2f; loadCount %d%n",
                            r.get("generatedTokens").asInt(), requests, r.get("medianMs").asDouble(), r.get("p10Ms").asDouble(),
                            r.get("p90Ms").asDouble(), r.get("meanMs").asDouble(), loadCount);
                }
                out.flush();
            }
        } finally {
            deleteTree(tmp);
        }
        return 0;
    }

    /** Puts every file of the model directory into the store and records it complete, as a pull would. */
    static void seed(ModelRegistry registry, Path model) throws Exception {
        ObjectNode config = Json.object().put("modelId", MODEL_ID).put("name", MODEL_ID).put("url", "https://example.org/bench/");
        ModelRecord record = ModelRecord.create(MODEL_ID, config);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(model)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            String rel = model.relativize(f).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(f)) {
                BlobInfo b = registry.store().put(in, "https://example.org/bench/" + rel);
                record = record.withFile(rel, new ModelFile(b.sha256(), b.size(), b.sourceUrl(), null, b.fetchedAt()));
            }
        }
        registry.putModel(record.withComplete(true));
    }

    private static JsonNode generate(MethodRegistry methods, ObjectNode params) throws Exception {
        RpcCall call = RpcCall.local("generate", params.deepCopy(), new CancellationToken(), (m, p) -> { });
        return methods.find("generate").orElseThrow().handle(call);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir left behind is harmless
        }
    }
}
