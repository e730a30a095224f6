package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp list}: the {@code models.list} method. */
@Command(name = "list", aliases = "ls", description = "List the models in the store.")
public final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the models.list result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        try (HostConnection host = connection.connect()) {
            JsonNode result = host.call("models.list", null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, result);
                return 0;
            }
            if (result.path("models").isEmpty()) {
                out.println("No models. Pull one with: llmcp pull <url>");
            } else {
                out.printf("%-40s %10s %6s  %-8s %-16s %5s%n", "MODEL", "SIZE", "FILES", "STATE", "LAST USED", "LOADS");
                for (JsonNode m : result.path("models")) {
                    String state = (m.path("complete").asBoolean() ? "ready" : "partial") + (m.path("pinned").asBoolean() ? "*" : "");
                    out.printf("%-40s %10s %6d  %-8s %-16s %5d%n", m.path("modelId").asText(), Sizes.bytes(m.path("size").asLong()),
                            m.path("files").size(), state, Sizes.time(m.path("lastUsed").asLong()), m.path("loadCount").asLong());
                }
                out.println("(* pinned: never evicted by the quota)");
            }
            out.flush();
            return 0;
        }
    }
}
