package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI sends exactly the generate params and prints the streamed deltas (or only the result with --json). */
class RunCommandTest {
    private final List<ObjectNode> sent = new ArrayList<>();
    private final ObjectNode result = Json.object().put("text", "Hi 🌍").put("finishReason", "eos")
            .put("generatedTokens", 3).put("tokensPerSecond", 12.5).put("timeToFirstTokenMs", 40).put("provider", "CPU");

    /** When set, generate with messages fails like a model without a chat template. */
    private boolean noTemplate;

    private String run(String stdin, String... args) {
        RunCommand cmd = new RunCommand();
        cmd.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        cmd.interactive = () -> false;
        cmd.connector = () -> new HostConnection() {
            public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) {
                assertThat(method).isEqualTo("generate");
                sent.add(params);
                if (noTemplate && params.has("messages")) {
                    throw new io.llmcp.protocol.RpcException(io.llmcp.protocol.ErrorCodes.MODEL_INVALID,
                            "model has no chat template; pass a raw prompt");
                }
                for (String t : new String[]{"Hi", " ", "🌍"}) {
                    ObjectNode n = Json.object().put("method", "generate.token");
                    n.putObject("params").put("text", t).put("tokenId", 1);
                    onNotification.accept(n);
                }
                return result;
            }

            public void close() {
            }
        };
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void streamsTokensAndSendsSamplingParams() {
        String out = run("", "tiny", "Hello", "--raw", "--temperature", "0.7", "--top-k", "40", "--seed", "3", "--stop", "END",
                "--max-new-tokens", "9");
        assertThat(out).isEqualTo("Hi 🌍" + System.lineSeparator());
        ObjectNode p = sent.get(0);
        assertThat(p.get("modelId").asText()).isEqualTo("tiny");
        assertThat(p.get("prompt").asText()).isEqualTo("Hello");
        assertThat(p.get("params").get("temperature").asDouble()).isEqualTo(0.7);
        assertThat(p.get("params").get("topK").asInt()).isEqualTo(40);
        assertThat(p.get("params").get("seed").asLong()).isEqualTo(3);
        assertThat(p.get("params").get("maxNewTokens").asInt()).isEqualTo(9);
        assertThat(p.get("params").get("stop").get(0).asText()).isEqualTo("END");
    }

    @Test
    void chatFromStdinWithJsonPrintsOnlyTheResult() throws Exception {
        String out = run("What is up?", "tiny", "--chat", "--json");
        assertThat(Json.MAPPER.readTree(out)).isEqualTo(result);
        assertThat(sent.get(0).get("messages").get(0).get("content").asText()).isEqualTo("What is up?");
        assertThat(sent.get(0).has("prompt")).isFalse();
    }

    @Test
    void chatIsTheDefaultWithTheSystemMessageFirst() {
        String out = run("", "tiny", "Hello", "--system", "Be brief.");
        assertThat(out).isEqualTo("Hi 🌍" + System.lineSeparator());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).has("prompt")).isFalse();
        assertThat(sent.get(0).get("messages").get(0).get("role").asText()).isEqualTo("system");
        assertThat(sent.get(0).get("messages").get(0).get("content").asText()).isEqualTo("Be brief.");
        assertThat(sent.get(0).get("messages").get(1).get("content").asText()).isEqualTo("Hello");
    }

    @Test
    void aModelWithoutAChatTemplateFallsBackToAPlainPromptUnlessChatWasAskedFor() {
        noTemplate = true;
        String out = run("", "tiny", "Once upon");
        assertThat(out).as("stdout is only the generated text").isEqualTo("Hi 🌍" + System.lineSeparator());
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).get("prompt").asText()).isEqualTo("Once upon");

        sent.clear();
        RunCommand cmd = new RunCommand();
        cmd.interactive = () -> false;
        cmd.connector = () -> new HostConnection() {
            public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) {
                if (method.equals("models.list")) return Json.object().putArray("models");
                throw new io.llmcp.protocol.RpcException(io.llmcp.protocol.ErrorCodes.MODEL_INVALID, "model has no chat template; pass a raw prompt");
            }

            public void close() {
            }
        };
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setExecutionExceptionHandler(new CliErrors());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("tiny", "x", "--chat")).isEqualTo(2);
        assertThat(err.toString()).contains("no chat template").contains("llmcp run <model> --raw");
    }

    @Test
    void anUnknownModelGetsDidYouMeanAndTheFix() {
        RunCommand cmd = new RunCommand();
        cmd.interactive = () -> false;
        cmd.connector = () -> new HostConnection() {
            public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) {
                if (method.equals("models.list")) {
                    ObjectNode r = Json.object();
                    r.putArray("models").addObject().put("modelId", "smollm2-135m-instruct");
                    r.withArray("models").addObject().put("modelId", "qwen2.5-0.5b-instruct");
                    return r;
                }
                throw new io.llmcp.protocol.RpcException(io.llmcp.protocol.ErrorCodes.NOT_FOUND, "model 'smolm2-135m-instruct' is not downloaded");
            }

            public void close() {
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setExecutionExceptionHandler(new CliErrors());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("smolm2-135m-instruct", "hi")).isEqualTo(2);
        assertThat(err.toString()).contains("error -32004: model 'smolm2-135m-instruct' is not downloaded. Did you mean 'smollm2-135m-instruct'?")
                .contains("try: llmcp run smollm2-135m-instruct");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void rawAndChatExcludeEachOther() {
        RunCommand cmd = new RunCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("tiny", "x", "--raw", "--chat")).isNotZero();
    }
}
