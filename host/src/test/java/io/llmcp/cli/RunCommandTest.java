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

    private String run(String stdin, String... args) {
        RunCommand cmd = new RunCommand();
        cmd.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        cmd.connector = () -> new HostConnection() {
            public JsonNode call(String method, ObjectNode params, Consumer<ObjectNode> onNotification) {
                assertThat(method).isEqualTo("generate");
                sent.add(params);
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
        String out = run("", "tiny", "Hello", "--temperature", "0.7", "--top-k", "40", "--seed", "3", "--stop", "END",
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
}
