package io.llmcp.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.api.RemoteSettings;
import io.llmcp.app.DataDir;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcp remote add|list|rm}: OpenAI-compatible servers whose models the engine offers as {@code NAME/MODEL}
 * (docs/API.md). Kept in config.json's {@code remotes}; the engine reads them on every call.
 */
@Command(name = "remote", description = "Add, list or remove remote OpenAI-compatible providers (models appear as NAME/MODEL).",
        subcommands = {RemoteCommand.Add.class, RemoteCommand.ListRemotes.class, RemoteCommand.Rm.class})
public final class RemoteCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", description = "Add (or replace) a remote: an OpenAI-compatible API base URL, e.g. https://host/v1.")
    static final class Add implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--url", required = true, description = "The API base, ending in /v1 for most servers. https, or http to this machine only.")
        String url;

        @Option(names = "--api-key-env", paramLabel = "VAR", description = "Read the remote's API key from this environment variable and keep it in config.json (sent only to this remote).")
        String apiKeyEnv;

        @Override
        public Integer call() throws Exception {
            String key = null;
            if (apiKeyEnv != null) {
                // Read here, in the caller's environment; the stored value is what the engine will send.
                key = System.getenv(apiKeyEnv);
                if (key == null || key.isBlank()) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
                    err.flush();
                    return 2;
                }
                key = key.strip();
            }
            // The same checks and the same writing as the panel's remotes.add; a refusal is printed with its code.
            boolean replaced = RemoteSettings.add(DataDir.resolve(), name, url, key);
            PrintWriter out = spec.commandLine().getOut();
            out.println((replaced ? "replaced remote " : "remote ") + name + " → " + url + (key != null ? " (with a key)" : "")
                    + "; its models appear as " + name + "/MODEL");
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "List the remotes (keys are not shown).")
    static final class ListRemotes implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print {remotes:[{name, url, hasKey}]}.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, RemoteSettings.Remote> all = RemoteSettings.list(DataDir.resolve());
            if (json) {
                ObjectNode o = Json.object();
                var arr = o.putArray("remotes");
                all.values().forEach(r -> arr.add(r.describe()));
                JsonOutput.print(out, o);
                return 0;
            }
            if (all.isEmpty()) out.println("no remotes (llmcp remote add NAME --url URL)");
            all.values().forEach(r -> out.printf("%-16s %s%s%n", r.name(), r.url(), r.apiKey() != null ? "  (key set)" : ""));
            out.flush();
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove a remote (and its key).")
    static final class Rm implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws Exception {
            boolean removed = RemoteSettings.remove(DataDir.resolve(), name);
            PrintWriter out = spec.commandLine().getOut();
            out.println(removed ? "removed remote " + name : "no remote named " + name);
            out.flush();
            return removed ? 0 : 1;
        }
    }
}
