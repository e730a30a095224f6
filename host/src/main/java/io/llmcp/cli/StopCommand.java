package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code llmcp stop MODEL...}: unloads models from memory ({@code sessions.unload}); their files stay in the store. */
@Command(name = "stop", description = {"Unload models from memory (their files stay on disk).",
        "A model in use unloads when its last request ends. Exits 1 when a model was not loaded."})
public final class StopCommand extends HostCommand {
    @Parameters(arity = "1..*", paramLabel = "MODEL_ID")
    List<String> modelIds;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        int notLoaded = 0;
        for (String id : modelIds) {
            JsonNode r = host.call("sessions.unload", Json.object().put("modelId", id));
            boolean pending = r.path("pending").asBoolean();
            if (!r.path("unloaded").asBoolean() && !pending) notLoaded++;
            if (printedJson(out, r)) continue;
            if (r.path("unloaded").asBoolean()) {
                out.printf("stopped %s%n", id);
            } else if (pending) {
                out.printf("%s is answering a request; it unloads when that ends%n", id);
            } else {
                spec.commandLine().getErr().printf("%s is not loaded (see llmcp ps)%n", id);
            }
        }
        return notLoaded == 0 ? 0 : 1;
    }
}
