package io.llmcp.cli;

import io.llmcp.app.Version;
import io.llmcp.host.MethodModule;
import java.util.List;
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
                PsCommand.class,
                StopCommand.class,
                SearchCommand.class,
                PullCommand.class,
                ListCommand.class,
                RmCommand.class,
                PinCommand.class,
                QuotaCommand.class,
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
                SitesCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class LlmcpCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static CommandLine commandLine() {
        return commandLine(List.of());
    }

    /**
     * The command line whose engines ({@code engine run}, {@code serve}) serve {@code engineModules} besides the
     * product's methods: how the entry point adds the tooling's test methods without the CLI importing the tooling.
     */
    public static CommandLine commandLine(List<MethodModule> engineModules) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == EngineCommand.Run.class) return type.cast(new EngineCommand.Run(engineModules));
                if (type == ServeCommand.class) return type.cast(new ServeCommand(engineModules));
                return defaults.create(type);
            }
        };
        CommandLine cl = new CommandLine(new LlmcpCommand(), factory);
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
