package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code llmcp list}: the {@code models.list} method. */
@Command(name = "list", aliases = "ls", description = "List the models in the store.")
public final class ListCommand extends HostCommand {
    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode result = host.call("models.list", null);
        if (printedJson(out, result)) return 0;
        if (result.path("models").isEmpty()) {
            out.println("No models. Pull one with: llmcp pull <url>");
            return 0;
        }
        out.printf("%-40s %10s %6s  %-8s %-16s %5s%n", "MODEL", "SIZE", "FILES", "STATE", "LAST USED", "LOADS");
        for (JsonNode m : result.path("models")) {
            String state = (m.path("complete").asBoolean() ? "ready" : "partial") + (m.path("pinned").asBoolean() ? "*" : "");
            out.printf("%-40s %10s %6d  %-8s %-16s %5d%n", m.path("modelId").asText(), Sizes.bytes(m.path("size").asLong()),
                    m.path("files").size(), state, Sizes.time(m.path("lastUsed").asLong()), m.path("loadCount").asLong());
        }
        out.println("(* pinned: never evicted by the quota)");
        return 0;
    }
}
