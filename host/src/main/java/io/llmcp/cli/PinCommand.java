package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp pin MODEL [--off]}: {@code models.pin}; a pinned model is never evicted by the quota. */
@Command(name = "pin", description = "Keep a model when the quota evicts others (--off to unpin).")
public final class PinCommand extends HostCommand {
    @Parameters(index = "0", paramLabel = "MODEL_ID")
    String modelId;

    @Option(names = "--off", description = "Unpin: the quota may evict it again.")
    boolean off;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode r;
        try {
            r = host.call("models.pin", Json.object().put("modelId", modelId).put("pinned", !off));
        } catch (RuntimeException e) {
            throw ModelHints.explain(e, host, modelId);
        }
        if (printedJson(out, r)) return 0;
        out.printf(r.path("pinned").asBoolean() ? "pinned %s: the quota will not evict it%n" : "unpinned %s%n", modelId);
        return 0;
    }
}
