package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code llmcp verify <id>}: the {@code models.verify} method; exit code 1 when a file is damaged. */
@Command(name = "verify", description = "Re-hash every file of a model against its SHA-256.")
public final class VerifyCommand extends HostCommand {
    @Parameters(paramLabel = "MODEL_ID")
    String modelId;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode r = host.call("models.verify", Json.object().put("modelId", modelId));
        boolean ok = r.path("ok").asBoolean();
        if (printedJson(out, r)) return ok ? 0 : 1;
        for (JsonNode f : r.path("files")) {
            out.printf("%-4s %s%s%n", f.path("ok").asBoolean() ? "ok" : "BAD", f.path("path").asText(),
                    f.path("ok").asBoolean() ? "" : ": " + f.path("problem").asText());
        }
        out.println(ok ? modelId + ": all files verified" : modelId + ": damaged; pull it again (llmcp pull) to repair");
        return ok ? 0 : 1;
    }
}
