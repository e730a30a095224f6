package io.llmcp.tooling.bench;

import io.llmcp.cli.EngineConnection;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench proxy}: {@code host.info} round trips, one in flight, through the real jar as the browser
 * runs it — {@code native-host} proxy over pipes, engine behind it on the Unix socket — next to the same calls
 * over pipes to {@code native-host --no-engine} (the in-process host, the baseline), a second proxy that never
 * polls ({@code --spin-micros 0}) and the bench itself on the engine socket, alternating in one run. Each mode
 * also reports the CPU time of its processes per 1000 round trips, so what polling costs is visible next to
 * what it saves. Temp data dirs; the engine it starts is stopped at the end.
 */
@Command(name = "proxy", description = "Round trips/s and p50/p99 through proxy + engine socket vs. stdio to an in-process host.")
public final class ProxyBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--requests", description = "Measured round trips per mode (default: ${DEFAULT-VALUE}).")
    int requests = 40_000;

    @Option(names = "--warmup", description = "Unmeasured round trips per mode first (default: ${DEFAULT-VALUE}).")
    int warmup = 20_000;

    @Option(names = "--block", description = "Round trips per block; blocks of the two modes alternate (default: ${DEFAULT-VALUE}).")
    int block = 500;

    @Option(names = "--spin-micros", description = "The proxy's spin budget while an answer is due, µs (default: the config's, "
            + io.llmcp.proxy.ProxySpin.DEFAULT_REPLY_MICROS + ").")
    Long spinMicros;

    @Option(names = "--idle-spin-micros", description = "The proxy's spin budget for the browser's next request, µs (default: the config's, "
            + io.llmcp.proxy.ProxySpin.DEFAULT_IDLE_MICROS + ").")
    Long idleSpinMicros;

    @Option(names = "--keep-dirs", hidden = true, description = "Keep the temp data dirs (with the proxies' and engine's logs).")
    boolean keepDirs;

    record Result(String mode, double perSecond, double p50Micros, double p99Micros, String cpu) {
    }

    /** One child process (the real jar) and a client on its stdin/stdout, with the latencies measured so far. */
    private final class Target implements AutoCloseable {
        final String mode;
        final Process child;
        final RpcClient client;
        final long[] nanos = new long[requests];
        int done;
        long busyNanos;
        /** Processes whose CPU time this mode costs ("proxy" → pid), measured around its blocks only. */
        final Map<String, Long> cpuPids = new LinkedHashMap<>();
        final Map<String, Long> cpuNanos = new LinkedHashMap<>();

        /** The bench process itself as a CLI client of the engine {@code proxyHome}'s proxy started. */
        Target(String mode, Path engineHome) throws Exception {
            this.mode = mode;
            this.child = null;
            EnginePaths paths = new EnginePaths(engineHome, engineHome.resolve("run"));
            this.client = io.llmcp.engine.EngineRpc.open(io.llmcp.engine.EngineLauncher.tryConnect(paths).orElseThrow(
                    () -> new IllegalStateException("the proxy's engine is not running")), "cli", "cli");
        }

        Target(String mode, Path home, String... args) throws Exception {
            this.mode = mode;
            Files.createDirectories(home);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar(), "io.llmcp.Main"));
            cmd.addAll(Arrays.asList(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("LLMCP_HOME", home.toString());
            pb.environment().remove("XDG_RUNTIME_DIR");
            child = pb.start();
            client = new RpcClient(new FrameReader(child.getInputStream()),
                    new FrameWriter(child.getOutputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
        }

        Target cpu(String name, long pid) {
            cpuPids.put(name, pid);
            cpuNanos.put(name, 0L);
            return this;
        }

        void warm() throws Exception {
            for (int i = 0; i < warmup; i++) client.call("host.info", null).get(120, TimeUnit.SECONDS);
        }

        void runBlock() throws Exception {
            int n = Math.min(block, requests - done);
            long[] cpuBefore = cpuNow();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                client.call("host.info", null).get(30, TimeUnit.SECONDS);
                nanos[done++] = System.nanoTime() - t0;
            }
            busyNanos += System.nanoTime() - start;
            long[] cpuAfter = cpuNow();
            int i = 0;
            for (String name : cpuPids.keySet()) {
                cpuNanos.merge(name, cpuAfter[i] - cpuBefore[i], Long::sum);
                i++;
            }
        }

        private long[] cpuNow() {
            return cpuPids.values().stream().mapToLong(ProcessCpu::nanos).toArray();
        }

        Result result() {
            long[] sorted = Arrays.copyOf(nanos, done);
            Arrays.sort(sorted);
            StringBuilder cpu = new StringBuilder();
            for (Map.Entry<String, Long> e : cpuNanos.entrySet()) {
                if (cpu.length() > 0) cpu.append(" + ");
                cpu.append(String.format("%s %.1f", e.getKey(), e.getValue() / 1e6 / (done / 1000.0)));
            }
            return new Result(mode, done / (busyNanos / 1e9), sorted[done / 2] / 1e3, sorted[(int) (done * 0.99)] / 1e3, cpu.toString());
        }

        @Override
        public void close() throws Exception {
            if (child == null) {
                client.close();
                return;
            }
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) child.destroyForcibly();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("llmcp-bench-proxy");
        Path proxyHome = root.resolve("proxy");
        List<String> spinArgs = new ArrayList<>(List.of("native-host"));
        if (spinMicros != null) spinArgs.addAll(List.of("--spin-micros", spinMicros.toString()));
        if (idleSpinMicros != null) spinArgs.addAll(List.of("--idle-spin-micros", idleSpinMicros.toString()));
        List<Result> results = new ArrayList<>();
        try (Target direct = new Target("stdio, in-process host", root.resolve("direct"), "native-host", "--no-engine");
             Target proxied = new Target("proxy + engine socket", proxyHome, spinArgs.toArray(String[]::new));
             Target sleeping = new Target("proxy without spinning", proxyHome, "native-host", "--spin-micros", "0");
             Target socket = warmAndConnect(proxied, proxyHome)) {
            long enginePid = Long.parseLong(Files.readString(new EnginePaths(proxyHome, proxyHome.resolve("run")).pidFile()).trim());
            direct.cpu("host", direct.child.pid()).warm();
            proxied.cpu("proxy", proxied.child.pid()).cpu("engine", enginePid);
            sleeping.cpu("proxy", sleeping.child.pid()).cpu("engine", enginePid).warm();
            socket.cpu("engine", enginePid).warm();
            List<Target> all = List.of(direct, proxied, sleeping, socket);
            // Alternating small blocks: all modes see the same machine load (the CI box is shared).
            while (direct.done < requests) {
                for (Target t : all) t.runBlock();
            }
            for (Target t : all) results.add(t.result());
        } finally {
            stopEngine(proxyHome);
            if (keepDirs) out.println("data dirs kept in " + root);
            else deleteTree(root);
        }
        Result d = results.get(0);
        Result p = results.get(1);
        Result n = results.get(2);
        Result s = results.get(3);
        out.printf("host.info round trips: %d per mode after %d warm-up, sequential (one in flight), alternating blocks of %d%n",
                requests, warmup, block);
        out.printf("%-24s %13s %8s %8s   %s%n", "mode", "round trips/s", "p50 ms", "p99 ms", "CPU ms per 1000 round trips");
        for (Result x : results) {
            out.printf("%-24s %13.0f %8.3f %8.3f   %s%n", x.mode(), x.perSecond(), x.p50Micros() / 1000, x.p99Micros() / 1000, x.cpu());
        }
        out.printf("proxy/direct throughput %.2f (goal >= 0.80), proxy adds %.3f ms p99 (goal <= 0.200)%n",
                p.perSecond() / d.perSecond(), (p.p99Micros() - d.p99Micros()) / 1000);
        out.printf("proxy without spinning: throughput %.2f of direct, p99 %+.3f ms%n",
                n.perSecond() / d.perSecond(), (n.p99Micros() - d.p99Micros()) / 1000);
        out.printf("engine socket without the proxy: throughput %.2f of direct, p99 %+.3f ms%n",
                s.perSecond() / d.perSecond(), (s.p99Micros() - d.p99Micros()) / 1000);
        out.flush();
        return 0;
    }

    /** Warms the proxy (which starts the engine), then connects the bench itself to that engine. */
    private Target warmAndConnect(Target proxied, Path proxyHome) throws Exception {
        proxied.warm();
        return new Target("engine socket, no proxy", proxyHome);
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
