package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmcp.cli.EngineConnection;
import io.llmcp.cli.JsonOutput;
import io.llmcp.engine.EnginePaths;
import io.llmcp.protocol.Json;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench api}: requests/s and tokens/s of streamed greedy completions through the HTTP API
 * ({@code /v1/completions}, SSE) against the engine's own {@code generate} over its socket (what the CLI and
 * browsers use), same engine ({@code llmcp serve} as a child), same model, same prompt, alternating, same run.
 */
@Command(name = "api", description = "HTTP API vs native generate over the engine socket: requests/s and tokens/s.")
public final class ApiBenchCommand implements Callable<Integer> {
    private static final Pattern URL = Pattern.compile("at (http://[^ ]+)/api ");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", defaultValue = "24", description = "Requests per measured batch.")
    int requests;

    @Option(names = "--new-tokens", defaultValue = "64")
    int newTokens;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,2", description = "Clients at once (comma-separated list).")
    List<Integer> concurrency;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured batches of each path per concurrency (alternating).")
    int rounds;

    @Option(names = "--json", description = "Print the measurements as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path base = Files.createTempDirectory("llmcp-bench-api");
        Path home = base.resolve("home");
        LlamaShape tiny = TestModels.tinyShape();
        Path model = TestModels.writeModel(base.resolve("model"), new LlamaShape(tiny.layers(), tiny.hidden(), tiny.heads(),
                tiny.kvHeads(), tiny.intermediate(), tiny.vocab(), 2048, tiny.seed(), tiny.tiedEmbeddings()), Variant.KV_CACHE);
        HttpServer repo = serveDirectory(model);
        Process serve = ChildProcesses.start(home, "serve", "--port", "0");
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            serve.getOutputStream().close();
            String first = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher m = first == null ? null : URL.matcher(first);
            if (m == null || !m.find()) throw new IllegalStateException("llmcp serve did not start: " + first);
            String api = m.group(1);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String repoUrl = "http://127.0.0.1:" + repo.getAddress().getPort() + "/org/tiny/resolve/main/";
            HttpResponse<String> pulled = http.send(HttpRequest.newBuilder(URI.create(api + "/api/pull"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + repoUrl + "\",\"stream\":false}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (pulled.statusCode() != 200) throw new IllegalStateException("pull failed: " + pulled.body());
            EnginePaths paths = EnginePaths.resolve(home, System.getenv(), System.getProperty("os.name"),
                    Path.of(System.getProperty("user.home")));
            String prompt = "The quick brown fox jumps over the lazy dog. ".repeat(4);
            ObjectNode result = Json.object().put("requestsPerBatch", requests).put("newTokens", newTokens).put("rounds", rounds);
            ArrayNode rows = result.putArray("results");
            for (int c : concurrency) {
                List<EngineConnection> conns = new ArrayList<>();
                for (int i = 0; i < c; i++) conns.add(EngineConnection.open(paths));
                try {
                    // Warm-up: load the model, JIT both paths.
                    batch(pool, c, Math.max(2, c), i -> native1(conns.get(i % c), prompt));
                    batch(pool, c, Math.max(2, c), i -> api1(http, api, prompt));
                    double[] nat = new double[2];
                    double[] web = new double[2];
                    for (int r = 0; r < rounds; r++) {
                        add(nat, batch(pool, c, requests, i -> native1(conns.get(i % c), prompt)));
                        add(web, batch(pool, c, requests, i -> api1(http, api, prompt)));
                    }
                    ObjectNode row = rows.addObject().put("concurrency", c);
                    row.put("nativeRequestsPerSecond", round(requests * rounds / nat[0]))
                            .put("nativeTokensPerSecond", round(nat[1] / nat[0]))
                            .put("apiRequestsPerSecond", round(requests * rounds / web[0]))
                            .put("apiTokensPerSecond", round(web[1] / web[0]))
                            .put("apiToNativeRatio", Math.round(nat[0] / web[0] * 1000) / 1000.0);
                } finally {
                    for (EngineConnection e : conns) e.close();
                }
            }
            result.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (json) {
                JsonOutput.print(out, result);
            } else {
                out.printf("tiny test model, %d streamed greedy requests of %d new tokens per batch, %d batches per path%n",
                        requests, newTokens, rounds);
                out.printf("%-11s %14s %14s %14s %14s %8s%n", "concurrency", "native req/s", "native tok/s", "API req/s", "API tok/s", "API/nat");
                for (JsonNode r : rows) {
                    out.printf("%-11d %14.1f %14.1f %14.1f %14.1f %8.3f%n", r.path("concurrency").asInt(),
                            r.path("nativeRequestsPerSecond").asDouble(), r.path("nativeTokensPerSecond").asDouble(),
                            r.path("apiRequestsPerSecond").asDouble(), r.path("apiTokensPerSecond").asDouble(),
                            r.path("apiToNativeRatio").asDouble());
                }
            }
            out.flush();
            return 0;
        } finally {
            pool.shutdownNow();
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) serve.destroyForcibly();
            repo.stop(0);
        }
    }

    private interface One {
        int run(int index) throws Exception;
    }

    /** Runs {@code n} requests on {@code c} threads; returns {seconds, tokens}. */
    private static double[] batch(ExecutorService pool, int c, int n, One one) throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            int worker = t;
            workers.add(pool.submit(() -> {
                int tokens = 0;
                while (next.getAndIncrement() < n) tokens += one.run(worker);
                return tokens;
            }));
        }
        int tokens = 0;
        for (Future<Integer> f : workers) tokens += f.get();
        return new double[] {(System.nanoTime() - start) / 1e9, tokens};
    }

    private static void add(double[] into, double[] b) {
        into[0] += b[0];
        into[1] += b[1];
    }

    private int native1(EngineConnection engine, String prompt) throws Exception {
        ObjectNode p = Json.object().put("modelId", "tiny").put("prompt", prompt);
        p.putObject("params").put("temperature", 0).put("maxNewTokens", newTokens);
        return engine.call("generate", p, n -> { }).path("generatedTokens").asInt();
    }

    private int api1(HttpClient http, String api, String prompt) throws Exception {
        ObjectNode body = Json.object().put("model", "tiny").put("prompt", prompt).put("temperature", 0)
                .put("max_tokens", newTokens).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/completions")).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofInputStream());
        int tokens = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: {")) continue;
                JsonNode ev = Json.MAPPER.readTree(line.substring(6));
                if (ev.path("usage").isObject()) tokens = ev.path("usage").path("completion_tokens").asInt();
            }
        }
        if (r.statusCode() != 200 || tokens == 0) throw new IllegalStateException("API request failed: " + r.statusCode());
        return tokens;
    }

    /** The model directory as a Hugging Face-style repository on loopback (HEAD and GET with Content-Length). */
    private static HttpServer serveDirectory(Path dir) throws java.io.IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/org/tiny/resolve/main/", (HttpExchange ex) -> {
            String rel = ex.getRequestURI().getPath().substring("/org/tiny/resolve/main/".length());
            Path f = dir.resolve(rel).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] b = Files.readAllBytes(f);
            ex.getResponseHeaders().set("Content-Length", Long.toString(b.length));
            if ("HEAD".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            }
            ex.close();
        });
        s.start();
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
