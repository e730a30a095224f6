package io.llmcp.cli;

import io.llmcp.install.InstallEnvironment;
import io.llmcp.install.InstallResult;
import io.llmcp.install.Uninstaller;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp uninstall}: removes exactly what {@code llmcp install} recorded; models and settings stay. */
@Command(name = "uninstall", description = {
        "Remove what 'llmcp install' wrote; models and settings stay.",
        "Removes exactly what <data dir>/install-record.json lists: launchers, the jar copy, browser manifests, registry "
                + "keys, the extension ids install added, and directories it created once empty."})
public final class UninstallCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dry-run", description = "Print what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        InstallEnvironment env = InstallEnvironment.current();
        InstallResult result = new Uninstaller(env, InstallCommand.registry(env)).uninstall(dryRun);
        InstallCommand.print(spec.commandLine().getOut(), result, json, dryRun ? "Dry run: nothing was removed." : null);
        return 0;
    }
}
