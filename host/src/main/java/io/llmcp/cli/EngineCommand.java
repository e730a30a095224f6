package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.DataDir;
import io.llmcp.host.Host;
import io.llmcp.host.MethodModule;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineServer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp engine status|stop} for people, and {@code engine run}, which the proxy and CLI start. */
@Command(name = "engine", description = "Show or stop the shared per-user engine.",
        subcommands = {EngineCommand.Status.class, EngineCommand.Stop.class, EngineCommand.Run.class})
public final class EngineCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code engine status}: the {@code engine.status} method of the running engine (never starts one). */
    @Command(name = "status", description = "Show the running engine: pid, clients, active work, loaded models.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the engine.status result as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EngineConnection> running = EngineConnection.ifRunning(EnginePaths.resolve());
            if (running.isEmpty()) {
                if (json) JsonOutput.print(out, io.llmcp.protocol.Json.object().put("running", false));
                else out.println("no engine is running");
                out.flush();
                return 1;
            }
            try (EngineConnection engine = running.get()) {
                JsonNode s = engine.call("engine.status", null);
                if (json) {
                    JsonOutput.print(out, s);
                    return 0;
                }
                out.printf("engine pid %d, up %s (since %s), exits after %d s idle%n", s.path("pid").asLong(),
                        uptime(s.path("uptimeSeconds").asLong()), s.path("startedAt").asText(), s.path("idleExitSeconds").asLong());
                out.printf("data dir  %s%nsocket    %s%n", s.path("dataDir").asText(), s.path("socket").asText());
                out.printf("clients   %d%n", s.path("clients").size());
                for (JsonNode c : s.path("clients")) {
                    out.printf("  #%d %-7s %s, %d in flight%n", c.path("id").asInt(), c.path("kind").asText(),
                            c.path("origin").asText(), c.path("inFlight").asInt());
                }
                out.printf("active    %d%n", s.path("activeWork").size());
                for (JsonNode j : s.path("activeWork")) {
                    out.printf("  %s since %s, %d watching%n", j.path("key").asText(), j.path("startedAt").asText(), j.path("watchers").asInt());
                }
                out.printf("models    %d loaded%n", s.path("loadedModels").size());
                for (JsonNode m : s.path("loadedModels")) out.printf("  %s%n", m.path("modelId").asText(m.toString()));
                out.flush();
                return 0;
            }
        }

        private static String uptime(long seconds) {
            return seconds >= 3600 ? String.format("%dh%02dm", seconds / 3600, seconds / 60 % 60)
                    : String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
    }

    /** {@code engine stop}: asks the engine to stop (jobs are cancelled; downloads resume next time) and waits. */
    @Command(name = "stop", description = "Stop the running engine (cancels its work; the store closes cleanly).")
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EngineConnection> running = EngineConnection.ifRunning(EnginePaths.resolve());
            if (running.isEmpty()) {
                out.println("no engine is running");
                out.flush();
                return 0;
            }
            long pid;
            try (EngineConnection engine = running.get()) {
                pid = engine.call("engine.stop", null).path("pid").asLong();
            }
            boolean gone = ProcessHandle.of(pid).map(h -> {
                try {
                    h.onExit().get(30, TimeUnit.SECONDS);
                    return true;
                } catch (Exception e) {
                    return !h.isAlive();
                }
            }).orElse(true);
            out.println(gone ? "engine (pid " + pid + ") stopped" : "engine (pid " + pid + ") is still stopping");
            out.flush();
            return gone ? 0 : 1;
        }
    }

    /** {@code engine run}: the engine process itself (started detached by the proxy or the CLI). */
    @Command(name = "run", hidden = true, description = "Run the engine in this process (normally started for you).")
    static final class Run implements Callable<Integer> {
        /** Extra methods for the engine's host, from the entry point (the tooling's test methods); none by default. */
        private final List<MethodModule> modules;

        Run() {
            this(List.of());
        }

        Run(List<MethodModule> modules) {
            this.modules = modules;
        }

        @Option(names = "--idle-exit-seconds", description = "Exit after this long with no client and no job (default: config engine.idleExitSeconds, else 600).")
        Long idleExitSeconds;

        @Override
        public Integer call() throws Exception {
            EnginePaths paths = EnginePaths.resolve();
            Host host = Host.open(DataDir.resolve(), modules);
            long idleExit = EngineServer.idleExitSeconds(Host.settings(host.config(), "engine"), idleExitSeconds);
            EngineServer engine = new EngineServer(paths, idleExit);
            Thread hook = new Thread(() -> {
                engine.stop();
                try {
                    engine.awaitFinished(10_000);
                } catch (InterruptedException ignored) {
                    // exiting anyway
                }
            }, "engine-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            return engine.run(host.forEngine());
        }
    }
}
