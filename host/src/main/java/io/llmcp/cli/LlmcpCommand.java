package io.llmcp.cli;

import io.llmcp.app.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code llmcp}: the top command. Each subcommand is a small class that calls one protocol method. */
@Command(name = "llmcp",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = LlmcpCommand.VersionInfo.class,
        description = "LLM Control Panel: download, manage and run language models locally.",
        subcommands = {
                InfoCommand.class,
                RunCommand.class,
                PullCommand.class,
                ListCommand.class,
                RmCommand.class,
                StatsCommand.class,
                GcCommand.class,
                VerifyCommand.class,
                EmbedCommand.class,
                NativeHostCommand.class,
                InstallCommand.class,
                UninstallCommand.class,
                DoctorCommand.class,
                EngineCommand.class,
                ServeCommand.class,
                RemoteCommand.class,
                ConfigCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class LlmcpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LlmcpCommand());
        cl.setExecutionExceptionHandler(new CliErrors());
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"llmcp " + Version.PRODUCT + " (protocol " + Version.PROTOCOL + ")"};
        }
    }
}
