package io.llmcp;

import io.llmcp.app.DataDir;
import io.llmcp.app.LaunchMode;
import io.llmcp.app.Stdio;
import io.llmcp.cli.LlmcpCommand;
import io.llmcp.tooling.TestJobMethod;
import io.llmcp.tooling.bench.BenchCommand;
import io.llmcp.tooling.testmodel.TestModelCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Entry point of the jar: a browser's native host, the engine, or the {@code llmcp} CLI. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Stdio.guardStdout();
        configureLogging();
        System.exit(run(LaunchMode.normalise(args)));
    }

    static int run(String[] args) {
        // Tooling ships in the jar but the product never imports it: only this entry point adds it — the bench and
        // test-model commands, and test.job for the engine (which registers only when config engine.testMethods is on).
        CommandLine cli = LlmcpCommand.commandLine(List.of(TestJobMethod::register));
        cli.addSubcommand(new BenchCommand());
        cli.addSubcommand(new TestModelCommand());
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(Stdio.stdout(), StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        return cli.execute(args);
    }

    /** Logs go to stderr and to a rotating file under the data dir; set before the first logger exists. */
    private static void configureLogging() {
        Path logs;
        try {
            // the data dir, its files and logs are the user's alone (0700/0600); an older install is tightened here
            logs = DataDir.prepareLogs(DataDir.resolve());
        } catch (Exception e) {
            logs = Path.of(System.getProperty("java.io.tmpdir"));
        }
        System.setProperty("llmcp.logDir", logs.toString());
        System.setProperty("llmcp.pid", Long.toString(ProcessHandle.current().pid()));
        // ONNX Runtime and DJL must never try to download native libraries: everything ships in the jar.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OFFLINE", "true");
    }
}
