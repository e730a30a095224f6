package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp verify <id>}: the {@code models.verify} method; exit code 1 when a file is damaged. */
@Command(name = "verify", description = "Re-hash every file of a model against its SHA-256.")
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL_ID")
    String modelId;

    @Option(names = "--json", description = "Print the models.verify result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        try (HostConnection host = connection.connect()) {
            JsonNode r = host.call("models.verify", Json.object().put("modelId", modelId));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, r);
            } else {
                for (JsonNode f : r.path("files")) {
                    out.printf("%-4s %s%s%n", f.path("ok").asBoolean() ? "ok" : "BAD", f.path("path").asText(),
                            f.path("ok").asBoolean() ? "" : ": " + f.path("problem").asText());
                }
                out.println(r.path("ok").asBoolean() ? modelId + ": all files verified"
                        : modelId + ": damaged; pull it again (llmcp pull) to repair");
            }
            out.flush();
            return r.path("ok").asBoolean() ? 0 : 1;
        }
    }
}
