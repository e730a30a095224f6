package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llmcp pull <url>}: the {@code models.pull} method, with a progress line per file on a terminal. */
@Command(name = "pull", description = "Download a model (a Hugging Face-style repo URL) into the store.")
public final class PullCommand extends HostCommand {
    @Parameters(index = "0", description = "Repo base URL, e.g. https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/, "
            + "or ORG/REPO on the Hub (HF_ENDPOINT, default https://huggingface.co).")
    String url;

    @Option(names = "--dtype", description = "Weight variant as transformers.js names it: fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4 "
            + "(picks onnx/model_<suffix>.onnx; --model-file wins).")
    String dtype;

    @Option(names = "--revision", description = "Branch, tag or commit for ORG/REPO (default main).")
    String revision;

    @Option(names = "--id", description = "Model id (default: the repo name from the URL).")
    String id;

    @Option(names = "--name", description = "Display name (default: the id).")
    String name;

    @Option(names = "--model-file", description = "ONNX file inside the repo (default: onnx/model.onnx).")
    String modelFile;

    @Option(names = "--config-file", description = "Config file inside the repo (default: config.json).")
    String configFile;

    @Option(names = "--ex-data-file", description = "External data file inside the repo, if any.")
    String exDataFile;

    @Override
    protected int run(HostConnection host, PrintWriter out) throws Exception {
        boolean repo = !url.contains("://");
        ObjectNode config = Json.object().put("modelId", id != null ? id : repo ? url.substring(url.indexOf('/') + 1) : idFromUrl(url));
        // ORG/REPO resolves against this process's HF_ENDPOINT (the engine may have been started with another).
        config.put("url", repo ? io.llmcp.fetch.HubApi.resolveBase(io.llmcp.fetch.HubApi.endpoint(System.getenv()), url, revision) : url);
        if (dtype != null) config.put("dtype", dtype);
        if (name != null) config.put("name", name);
        if (modelFile != null) config.put("modelFileName", modelFile);
        if (configFile != null) config.put("configFileName", configFile);
        if (exDataFile != null) config.put("modelExDataFileName", exDataFile);
        ObjectNode params = Json.object();
        params.set("config", config);
        ProgressLines progress = new ProgressLines(out, !json && System.console() != null);
        JsonNode result = host.call("models.pull", params, n -> progress.onNotification(n.path("params")));
        progress.finish();
        if (printedJson(out, result)) return 0;
        for (JsonNode f : result.path("files")) {
            String how = f.path("linked").asBoolean() ? "linked (already in the store)"
                    : f.path("bytesDownloaded").asLong() == 0 ? "already present" : "downloaded " + Sizes.bytes(f.path("bytesDownloaded").asLong());
            out.printf("%-40s %10s  %s%n", f.path("path").asText(), Sizes.bytes(f.path("size").asLong()), how);
        }
        out.printf("%s: %s downloaded, %s linked%n", result.path("modelId").asText(),
                Sizes.bytes(result.path("bytesDownloaded").asLong()), Sizes.bytes(result.path("bytesLinked").asLong()));
        return 0;
    }

    /** {@code https://huggingface.co/org/Repo-Name/resolve/main/} → {@code Repo-Name}. */
    static String idFromUrl(String url) {
        String path = URI.create(url).getPath();
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals("resolve") && i >= 1) return parts[i - 1];
        }
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].contains(".")) return parts[i];
        }
        throw new CommandLine.ParameterException(new CommandLine(new PullCommand()), "cannot derive a model id from " + url + "; pass --id");
    }
}
