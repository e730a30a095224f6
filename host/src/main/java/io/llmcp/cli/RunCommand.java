package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp run <id> [prompt]}: the {@code generate} method, streaming its tokens to the terminal. */
@Command(name = "run", description = "Generate text with a model, streaming it as it is produced.")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "Model id (as listed by 'llmcp list').")
    String modelId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<prompt>", description = "Prompt; read from stdin when absent.")
    String prompt;

    @Option(names = "--chat", description = "Send the prompt as a user message through the model's chat template.")
    boolean chat;

    @Option(names = "--max-new-tokens", paramLabel = "N")
    Integer maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 = greedy.")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P")
    Double topP;

    @Option(names = "--repetition-penalty", paramLabel = "R")
    Double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop before this text (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--json", description = "Print only the generate result as JSON.")
    boolean json;

    @CommandLine.Mixin
    ConnectionOptions connection;

    /** Tests replace how the host is reached. */
    Supplier<HostConnection> connector = () -> connection.connect();
    InputStream stdin = System.in;

    @Override
    public Integer call() throws Exception {
        String text = prompt != null ? prompt : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        LoadingIndicator loading = LoadingIndicator.forTerminal(spec.commandLine().getErr());
        try (HostConnection host = connector.get()) {
            JsonNode result;
            try {
                result = host.call("generate", params(text), note -> {
                    String method = note.path("method").asText();
                    if ("generate.loading".equals(method)) loading.start(note.path("params").path("modelId").asText(modelId));
                    if (!"generate.token".equals(method)) return;
                    loading.stop();
                    if (json) return;
                    out.print(note.path("params").path("text").asText());
                    out.flush();
                });
            } finally {
                loading.stop();
            }
            if (json) {
                JsonOutput.print(out, result);
            } else {
                out.println();
                out.flush();
                PrintWriter err = spec.commandLine().getErr();
                double loadMs = result.path("loadMs").asDouble();
                err.printf("[%s: %d tokens, %.1f tokens/s, %sfirst token after %.0f ms, %s]%n",
                        result.path("finishReason").asText(), result.path("generatedTokens").asInt(),
                        result.path("tokensPerSecond").asDouble(), loadMs >= 1 ? String.format("model loaded in %.0f ms, ", loadMs) : "",
                        result.path("timeToFirstTokenMs").asDouble(), result.path("provider").asText());
                err.flush();
            }
            return 0;
        }
    }

    ObjectNode params(String text) {
        ObjectNode p = Json.object().put("modelId", modelId);
        if (chat) {
            p.putArray("messages").addObject().put("role", "user").put("content", text);
        } else {
            p.put("prompt", text);
        }
        ObjectNode g = p.putObject("params");
        if (maxNewTokens != null) g.put("maxNewTokens", maxNewTokens);
        if (temperature != null) g.put("temperature", temperature);
        if (topK != null) g.put("topK", topK);
        if (topP != null) g.put("topP", topP);
        if (repetitionPenalty != null) g.put("repetitionPenalty", repetitionPenalty);
        if (seed != null) g.put("seed", seed);
        if (!stop.isEmpty()) {
            ArrayNode s = g.putArray("stop");
            stop.forEach(s::add);
        }
        return p;
    }
}
