package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp embed <id> <text>...}: the {@code embed} method; one vector per line, or the result with --json. */
@Command(name = "embed", description = "Embed texts with an embedding model (built in: all-minilm-l6-v2).")
public final class EmbedCommand extends HostCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Model id, e.g. all-minilm-l6-v2.")
    String modelId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "Texts to embed.")
    List<String> texts;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean (masked average) or cls. Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--no-normalize", description = "Do not L2-normalize the vectors.")
    boolean noNormalize;

    @Option(names = "--keep-alive", paramLabel = "SECONDS", description = "Keep the model loaded this long (0: unload now, -1: forever).")
    Long keepAlive;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        ObjectNode params = Json.object().put("modelId", modelId).put("pooling", pooling).put("normalize", !noNormalize);
        params.set("texts", Json.MAPPER.valueToTree(texts));
        if (keepAlive != null) params.put("keepAliveSeconds", keepAlive);
        JsonNode result = host.call("embed", params);
        if (printedJson(out, result)) return 0;
        for (JsonNode v : result.path("vectors")) out.println(Json.MAPPER.writeValueAsString(v));
        PrintWriter err = spec.commandLine().getErr();
        err.printf("%d vectors of %d dimensions from %s on %s%s%n", result.path("vectors").size(),
                result.path("dimensions").asInt(), modelId, result.path("provider").asText(),
                result.path("truncated").isEmpty() ? "" : "; truncated to " + result.path("maxTokens").asInt()
                        + " tokens: texts " + result.path("truncated"));
        err.flush();
        return 0;
    }
}
