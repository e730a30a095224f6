package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code llmcp rm <id>...}: the {@code models.delete} method, once per model. */
@Command(name = "rm", description = "Delete models and free the chunks no other model uses.")
public final class RmCommand extends HostCommand {
    @Parameters(arity = "1..*", paramLabel = "MODEL_ID")
    List<String> modelIds;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        int missing = 0;
        for (String id : modelIds) {
            JsonNode r = host.call("models.delete", Json.object().put("modelId", id));
            if (!r.path("deleted").asBoolean()) missing++;
            if (printedJson(out, r)) continue;
            if (r.path("deleted").asBoolean()) {
                out.printf("deleted %s (%s freed)%n", id, Sizes.bytes(r.path("bytesFreed").asLong()));
            } else {
                spec.commandLine().getErr().printf("no model '%s' in the store (see llmcp list)%n", id);
            }
        }
        return missing == 0 ? 0 : 1;
    }
}
