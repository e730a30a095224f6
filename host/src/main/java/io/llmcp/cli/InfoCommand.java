package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp info}: the {@code host.info} method. */
@Command(name = "info", description = "Show version, ONNX Runtime providers and the data dir.")
public final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the host.info result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        try (HostConnection host = connection.connect()) {
            JsonNode info = host.call("host.info", null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                JsonOutput.print(out, info);
                return 0;
            }
            out.printf("llmcp %s (protocol %s)%n", info.path("version").asText(), info.path("protocolVersion").asText());
            out.printf("java        %s%n", info.path("java").path("version").asText());
            JsonNode ort = info.path("onnxruntime");
            out.printf("onnxruntime %s, providers %s%n", ort.path("version").asText("not loaded"), ort.path("providers"));
            out.printf("data dir    %s%n", info.path("dataDir").asText());
            out.flush();
            return 0;
        }
    }
}
