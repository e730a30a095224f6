package io.llmcp.cli;

import io.llmcp.app.DataDir.Os;
import io.llmcp.install.Browser;
import io.llmcp.install.InstallEnvironment;
import io.llmcp.install.InstallResult;
import io.llmcp.install.Installer;
import io.llmcp.install.RegistryAccess;
import io.llmcp.install.RunningJar;
import io.llmcp.install.Step;
import io.llmcp.install.WindowsRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp install}: registers the native host with the browsers (see docs/INSTALL.md). */
@Command(name = "install", description = {
        "Register the native host with your browsers (for this user).",
        "Copies the jar to the data dir, writes the launchers, and writes the host manifest for each detected browser "
                + "(Chrome, Chromium, Edge, Brave, Vivaldi, Firefox; on Windows plus its HKCU registry key). Safe to re-run: "
                + "unchanged files are not touched. See docs/INSTALL.md."})
public final class InstallCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--browser", paramLabel = "LIST|all",
            description = "Browsers to register with, comma-separated (chrome,chromium,edge,brave,vivaldi,firefox) or 'all'. Default: the detected ones.")
    String browsers;

    @Option(names = "--extension-id", paramLabel = "ID",
            description = "Also allow this extension (a Chrome id, chrome-extension://ID/, or a Firefox add-on id). Repeatable.")
    List<String> extensionIds = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--jar", paramLabel = "FILE", description = "The jar to install (default: the running one).")
    Path jar;

    @Option(names = "--user-data-dir", paramLabel = "DIR",
            description = "For a Chromium-family browser started with --user-data-dir DIR (test or portable profiles): write the "
                    + "manifest to DIR/NativeMessagingHosts instead. Linux and macOS.")
    Path userDataDir;

    @Override
    public Integer call() throws Exception {
        InstallEnvironment env = InstallEnvironment.current();
        Set<Browser> selected;
        try {
            selected = browsers == null ? null : Browser.parseList(browsers);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path source = jar != null ? jar.toAbsolutePath() : RunningJar.jar().orElseThrow(() ->
                new IllegalStateException("not running from a jar: pass --jar host/target/llmcp-host.jar"));
        Path java = RunningJar.java(env.env(), env.os() == Os.WINDOWS);
        Installer installer = new Installer(env, registry(env));
        InstallResult result;
        try {
            result = installer.install(new Installer.Request(selected, extensionIds, dryRun, source, java, userDataDir));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        print(spec.commandLine().getOut(), result, json, dryRun ? "Dry run: nothing was written." : null);
        return 0;
    }

    static RegistryAccess registry(InstallEnvironment env) {
        return env.os() == Os.WINDOWS ? new WindowsRegistry() : RegistryAccess.NONE;
    }

    static void print(PrintWriter out, InstallResult result, boolean json, String header) {
        // The log keeps what changed on this machine, for 'why did my browser stop finding the host' later.
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InstallCommand.class);
        for (Step s : result.steps()) {
            if (s.changed() && !result.dryRun()) log.info("{} {} {}", s.status(), s.kind(), s.target());
        }
        if (json) {
            JsonOutput.print(out, result.toJson());
            return;
        }
        if (header != null) out.println(header);
        for (Step s : result.steps()) out.println(s.line());
        if (!result.browsers().isEmpty()) out.println("Registered with: " + String.join(", ", result.browsers()));
        for (String n : result.notes()) out.println(n);
        out.flush();
    }
}
