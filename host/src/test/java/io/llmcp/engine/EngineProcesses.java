package io.llmcp.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.FrameReader;
import io.llmcp.protocol.FrameWriter;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcClient;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real jar as child processes on one temp data dir: proxies (as a browser starts them), CLI commands,
 * and the engine they start. {@link #close} kills every process it started and every engine of its data dir,
 * so no test leaves anything running.
 */
final class EngineProcesses implements AutoCloseable {
    static final String JAR = System.getProperty("llmcp.jar", "target/llmcp-host.jar");

    final Path home;
    final EnginePaths paths;
    private final List<Process> started = new ArrayList<>();

    EngineProcesses(Path home, String engineConfig) throws IOException {
        this.home = home;
        Files.createDirectories(home);
        Files.writeString(home.resolve("config.json"), "{\"engine\":" + engineConfig + "}");
        this.paths = new EnginePaths(home, home.resolve("run"));
    }

    ProcessBuilder java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", JAR));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("LLMCP_HOME", home.toString());
        env.remove("XDG_RUNTIME_DIR"); // sockets per test: the run dir is <home>/run
        return pb;
    }

    /** A native-host proxy over pipes, as a browser starts it. */
    Proxy proxy(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("native-host"));
        args.addAll(List.of(extraArgs));
        return launch(args.toArray(String[]::new));
    }

    /** The jar started with exactly these arguments, e.g. as Firefox does: manifest path, extension id. */
    Proxy launch(String... args) throws IOException {
        Process p = java(args)
                .redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("proxies-stderr.log").toFile())).start();
        synchronized (started) {
            started.add(p);
        }
        return new Proxy(p);
    }

    /** Runs a CLI command to its end; returns stdout. */
    CliResult cli(String... args) throws Exception {
        Process p = java(args).redirectError(ProcessBuilder.Redirect.appendTo(home.resolve("cli-stderr.log").toFile())).start();
        synchronized (started) {
            started.add(p);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("CLI " + List.of(args) + " did not finish");
        return new CliResult(p.exitValue(), out);
    }

    record CliResult(int exitCode, String stdout) {
        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(stdout);
        }
    }

    /** The pid the running engine wrote, or -1. */
    long enginePid() throws IOException {
        if (!Files.exists(paths.pidFile())) return -1;
        return Long.parseLong(Files.readString(paths.pidFile()).trim());
    }

    /** Engine processes serving this data dir (their command line carries it as a label). */
    List<ProcessHandle> engineProcesses() {
        String label = "-Dllmcp.engine.home=" + home;
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().arguments().map(a -> List.of(a).contains(label)).orElse(false))
                .toList();
    }

    List<String> startLog() throws IOException {
        return Files.exists(paths.startLog()) ? Files.readAllLines(paths.startLog()) : List.of();
    }

    @Override
    public void close() throws Exception {
        synchronized (started) {
            for (Process p : started) p.destroyForcibly();
        }
        long pid = enginePid();
        if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : engineProcesses()) h.destroyForcibly();
        for (ProcessHandle h : engineProcesses()) h.onExit().get(10, TimeUnit.SECONDS);
    }

    /** One proxy process and an RpcClient on its stdin/stdout: the browser's view. */
    static final class Proxy implements AutoCloseable {
        final Process process;
        final RpcClient client;

        Proxy(Process process) {
            this.process = process;
            this.client = new RpcClient(new FrameReader(process.getInputStream()),
                    new FrameWriter(process.getOutputStream(), FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder()));
        }

        JsonNode call(String method, JsonNode params) throws Exception {
            return client.call(method, params).get(60, TimeUnit.SECONDS);
        }

        /** Closes stdin, as a browser closing the port does; returns the exit code. */
        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("proxy did not exit after stdin EOF");
            }
        }
    }

    /** The session id of a Linux process (field 6 of /proc/PID/stat), or -1 elsewhere. */
    static long sessionId(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return -1;
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[3]);
    }
}
