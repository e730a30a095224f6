package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcp search TEXT}: the Hub's ONNX repos matching TEXT ({@code models.search}), most downloaded first, each
 * with its dtype variants and sizes, gated or not, licence, and whether it can chat here and fits in memory.
 */
@Command(name = "search", description = {"Search the Hugging Face Hub for ONNX models (HF_ENDPOINT for a mirror).",
        "Then: llmcp pull ORG/REPO --dtype q4"})
public final class SearchCommand extends HostCommand {
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What to look for, e.g. qwen instruct.")
    List<String> words;

    @Option(names = "--limit", description = "How many repositories (1-50, default ${DEFAULT-VALUE}).")
    int limit = 10;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        String query = String.join(" ", words);
        spec.commandLine().getErr().printf("searching the Hub for \"%s\"…%n", query); // stdout stays the results only
        JsonNode r = host.call("models.search", Json.object().put("query", query).put("limit", limit));
        if (printedJson(out, r)) return 0;
        JsonNode results = r.path("results");
        if (results.isEmpty()) {
            out.printf("No ONNX model on the Hub matches \"%s\".%n", query);
            return 0;
        }
        long available = r.path("availableBytes").asLong();
        for (JsonNode m : results) {
            out.printf("%s  %s downloads%s%s%n", m.path("repo").asText(), m.path("downloads").asLong(),
                    m.has("license") ? "  licence " + m.path("license").asText() : "",
                    m.path("gated").asBoolean() ? "  GATED (needs a token: llmcp config set fetch.token hf_...)" : "");
            if (m.has("error")) {
                out.printf("    cannot list its files: %s%n", m.path("error").asText());
                continue;
            }
            JsonNode chat = m.path("chat");
            if (!chat.path("usable").asBoolean()) out.printf("    not usable for chat: %s%n", chat.path("reason").asText());
            StringBuilder line = new StringBuilder("   ");
            for (JsonNode v : m.path("variants")) {
                line.append(' ').append(v.path("dtype").asText()).append(' ').append(Sizes.bytes(v.path("bytes").asLong()))
                        .append(v.path("fits").asBoolean() ? "" : " (too big)").append(',');
            }
            if (line.charAt(line.length() - 1) == ',') line.setLength(line.length() - 1);
            out.println(m.path("variants").isEmpty() ? "    no ONNX weights" : line);
        }
        out.printf("%nSizes are the weights a variant loads; \"too big\" means more than the %s of memory available now.%n",
                Sizes.bytes(available));
        out.println("Pull one with: llmcp pull ORG/REPO --dtype DTYPE");
        return 0;
    }
}
