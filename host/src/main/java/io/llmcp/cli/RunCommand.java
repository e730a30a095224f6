package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
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

/**
 * {@code llmcp run <id> [prompt]}: the {@code generate} method, streaming its tokens to the terminal. With a prompt
 * (or text on stdin) it prints exactly the generated text on stdout and exits; without one, on a terminal, it opens
 * an interactive chat ({@link ChatRepl}). Chat (the model's template) is the default; a model without a chat
 * template falls back to a plain completion, and {@code --raw} asks for one.
 */
@Command(name = "run", description = {"Chat with a model, or generate from a prompt, streaming the text as it is produced.",
        "Without a prompt on a terminal: an interactive chat (/? for its commands, /bye to leave)."})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<id>", description = "Model id (as listed by 'llmcp list').")
    String modelId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<prompt>",
            description = "Prompt; when absent: an interactive chat on a terminal, else read from stdin.")
    String prompt;

    @Option(names = "--chat", description = "Send the prompt as a user message through the model's chat template "
            + "(the default; with --chat a model without a template is an error instead of a plain completion).")
    boolean chat;

    @Option(names = "--raw", description = "Plain completion: the prompt is used as is, no chat template.")
    boolean raw;

    @Option(names = "--system", paramLabel = "TEXT", description = "System message for the chat.")
    String system;

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
    /** Whether stdin and stdout are a terminal (tests set it). */
    java.util.function.BooleanSupplier interactive = RunCommand::isTerminal;

    /** stdin and stdout are a terminal: {@code System.console()} (and, from Java 22 on, its {@code isTerminal()}). */
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22 a console exists only on a terminal
        }
    }

    static boolean isNoChatTemplate(RpcException e) {
        return e.code() == ErrorCodes.MODEL_INVALID && String.valueOf(e.getMessage()).contains("no chat template");
    }

    @Override
    public Integer call() throws Exception {
        if (raw && chat) throw new CommandLine.ParameterException(spec.commandLine(), "--raw and --chat exclude each other");
        if (prompt == null && !json && interactive.getAsBoolean()) return chat();
        String text = prompt != null ? prompt : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        PrintWriter out = spec.commandLine().getOut();
        LoadingIndicator loading = LoadingIndicator.forTerminal(spec.commandLine().getErr());
        try (HostConnection host = connector.get()) {
            java.util.function.Consumer<ObjectNode> stream = note -> {
                String method = note.path("method").asText();
                if ("generate.loading".equals(method)) loading.start(note.path("params").path("modelId").asText(modelId));
                if (!"generate.token".equals(method)) return;
                loading.stop();
                if (json) return;
                out.print(note.path("params").path("text").asText());
                out.flush();
            };
            JsonNode result;
            try {
                try {
                    result = host.call("generate", params(text), stream);
                } catch (RpcException e) {
                    // The default is chat; a model without a chat template is a completion model.
                    if (raw || chat || !isNoChatTemplate(e)) throw e;
                    raw = true;
                    result = host.call("generate", params(text), stream);
                }
            } catch (RuntimeException e) {
                throw ModelHints.explain(e, host, modelId);
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

    private int chat() throws Exception {
        try (HostConnection host = connector.get();
                org.jline.terminal.Terminal terminal = org.jline.terminal.TerminalBuilder.builder().system(true).build()) {
            // Fail early, in the person's words, for a model that is not there.
            try {
                JsonNode has = host.call("models.has", Json.object().put("modelId", modelId));
                if (!has.path("complete").asBoolean(true)) {
                    throw new RpcException(ErrorCodes.NOT_FOUND, "model '" + modelId + "' is not downloaded"
                            + (has.path("known").asBoolean() ? " completely; resume it with: llmcp pull <url> --id " + modelId : ""));
                }
            } catch (RuntimeException e) {
                throw ModelHints.explain(e, host, modelId);
            }
            ChatRepl.Generator generator = new ChatRepl.Generator() {
                @Override
                public JsonNode generate(ObjectNode params, java.util.function.Consumer<String> onText) throws Exception {
                    return host.call("generate", params, note -> {
                        if ("generate.token".equals(note.path("method").asText())) onText.accept(note.path("params").path("text").asText());
                    });
                }

                @Override
                public void cancel() {
                    host.cancelRunning();
                }
            };
            ChatRepl repl = new ChatRepl(terminal, historyFile(), generator, this::paramsFor, !raw, system);
            return repl.run();
        }
    }

    static java.nio.file.Path historyFile() {
        String home = System.getenv("LLMCP_HOME");
        java.nio.file.Path dir = home != null && !home.isBlank() ? java.nio.file.Path.of(home)
                : java.nio.file.Path.of(System.getProperty("user.home"), ".llmcp");
        try {
            java.nio.file.Files.createDirectories(dir);
            return dir.resolve("chat_history");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The generate params for a raw prompt (a String) or chat messages (an ArrayNode). */
    ObjectNode paramsFor(Object input) {
        ObjectNode p = Json.object().put("modelId", modelId);
        if (input instanceof ArrayNode messages) {
            p.set("messages", messages);
        } else {
            p.put("prompt", String.valueOf(input));
        }
        return sampling(p);
    }

    ObjectNode params(String text) {
        ObjectNode p = Json.object().put("modelId", modelId);
        if (!raw) {
            ArrayNode messages = p.putArray("messages");
            if (system != null && !system.isBlank()) messages.addObject().put("role", "system").put("content", system);
            messages.addObject().put("role", "user").put("content", text);
        } else {
            p.put("prompt", text);
        }
        return sampling(p);
    }

    private ObjectNode sampling(ObjectNode p) {
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
