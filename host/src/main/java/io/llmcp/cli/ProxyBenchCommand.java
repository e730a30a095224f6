package io.llmcp.cli;

import io.llmcp.engine.EnginePaths;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.RpcClient;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench proxy}: {@code host.info} round trips through the real jar as the browser runs it —
 * {@code native-host} proxy over pipes, engine behind it on the Unix socket — next to the same calls over
 * pipes to {@code native-host --no-engine} (the in-process host), alternating in one run. Temp data dirs;
 * the engine it starts is stopped at the end.
 */
@Command(name = "proxy", description = "Round trips/s and p50/p99 through proxy + engine socket vs. stdio to an in-process host.")
public final class ProxyBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", description = "Measured round trips per round (default: ${DEFAULT-VALUE}).")
    int requests = 20_000;

    @Option(names = "--warmup", description = "Unmeasured round trips first (default: ${DEFAULT-VALUE}).")
    int warmup = 5_000;

    @Option(names = "--rounds", description = "Alternating rounds of each mode (default: ${DEFAULT-VALUE}).")
    int rounds = 3;

    record Result(String mode, double perSecond, double p50Micros, double p99Micros) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("llmcp-bench-proxy");
        Path directHome = root.resolve("direct");
        Path proxyHome = root.resolve("proxy");
        List<Result> direct = new ArrayList<>();
        List<Result> proxied = new ArrayList<>();
        try {
            for (int r = 0; r < rounds; r++) {
                direct.add(measure("stdio, in-process host", directHome, "native-host", "--no-engine"));
                proxied.add(measure("proxy + engine socket", proxyHome, "native-host"));
            }
        } finally {
            stopEngine(proxyHome);
            deleteTree(root);
        }
        out.printf("host.info round trips, %d per round, %d rounds (median round shown)%n", requests, rounds);
        out.printf("%-24s %12s %10s %10s%n", "mode", "round trips/s", "p50 ms", "p99 ms");
        Result d = median(direct);
        Result p = median(proxied);
        for (Result x : List.of(d, p)) {
            out.printf("%-24s %12.0f %10.3f %10.3f%n", x.mode(), x.perSecond(), x.p50Micros() / 1000, x.p99Micros() / 1000);
        }
        double ratio = p.perSecond() / d.perSecond();
        double addedP99 = (p.p99Micros() - d.p99Micros()) / 1000;
        out.printf("proxy/direct throughput %.2f (goal >= 0.80), proxy adds %.3f ms p99 (goal <= 0.200)%n", ratio, addedP99);
        out.flush();
        return 0;
    }

    private Result measure(String mode, Path home, String... args) throws Exception {
        Files.createDirectories(home);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar(), "io.llmcp.Main"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LLMCP_HOME", home.toString());
        pb.environment().remove("XDG_RUNTIME_DIR");
        Process child = pb.start();
        try (RpcClient client = new RpcClient(new FrameReader(child.getInputStream()),
                new FrameWriter(child.getOutputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()))) {
            for (int i = 0; i < warmup; i++) client.call("host.info", null).get(120, TimeUnit.SECONDS);
            long[] nanos = new long[requests];
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                client.call("host.info", null).get(30, TimeUnit.SECONDS);
                nanos[i] = System.nanoTime() - t0;
            }
            long total = System.nanoTime() - start;
            Arrays.sort(nanos);
            return new Result(mode, requests / (total / 1e9), nanos[requests / 2] / 1e3, nanos[(int) (requests * 0.99)] / 1e3);
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    private static Result median(List<Result> rs) {
        List<Result> sorted = new ArrayList<>(rs);
        sorted.sort(Comparator.comparingDouble(Result::perSecond));
        return sorted.get(sorted.size() / 2);
    }

    private static void stopEngine(Path home) {
        try (EngineConnection engine = EngineConnection.ifRunning(new EnginePaths(home, home.resolve("run"))).orElse(null)) {
            if (engine == null) return;
            long pid = engine.call("engine.stop", null).path("pid").asLong();
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the benchmark's engine: " + e.getMessage(), e);
        }
    }

    private static String jar() {
        try {
            return Path.of(ProxyBenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp dir; best effort
        }
    }
}
