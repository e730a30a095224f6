package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code llmcp info}: the {@code host.info} method. */
@Command(name = "info", description = "Show version, ONNX Runtime providers and the data dir.")
public final class InfoCommand extends HostCommand {
    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        JsonNode info = host.call("host.info", null);
        if (printedJson(out, info)) return 0;
        out.printf("llmcp %s (protocol %s)%n", info.path("version").asText(), info.path("protocolVersion").asText());
        out.printf("java        %s%n", info.path("java").path("version").asText());
        JsonNode ort = info.path("onnxruntime");
        out.printf("onnxruntime %s, providers %s%n", ort.path("version").asText("not loaded"), ort.path("providers"));
        out.printf("data dir    %s%n", info.path("dataDir").asText());
        return 0;
    }
}
