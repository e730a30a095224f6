package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp rm <id>...}: the {@code models.delete} method, once per model. */
@Command(name = "rm", description = "Delete models and free the chunks no other model uses.")
public final class RmCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL_ID")
    List<String> modelIds;

    @Option(names = "--json", description = "Print each models.delete result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        int missing = 0;
        try (HostConnection host = connection.connect()) {
            PrintWriter out = spec.commandLine().getOut();
            for (String id : modelIds) {
                JsonNode r = host.call("models.delete", Json.object().put("modelId", id));
                if (!r.path("deleted").asBoolean()) missing++;
                if (json) {
                    JsonOutput.print(out, r);
                } else if (r.path("deleted").asBoolean()) {
                    out.printf("deleted %s (%s freed)%n", id, Sizes.bytes(r.path("bytesFreed").asLong()));
                } else {
                    spec.commandLine().getErr().printf("no model '%s' in the store (see llmcp list)%n", id);
                }
            }
            out.flush();
        }
        return missing == 0 ? 0 : 1;
    }
}
