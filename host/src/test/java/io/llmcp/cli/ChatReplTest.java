package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

/** The interactive chat's commands on JLine's dumb terminal with scripted input (the PTY IT runs the real jar). */
class ChatReplTest {
    private final List<ObjectNode> sent = new ArrayList<>();

    private String chat(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DumbTerminal terminal = new DumbTerminal(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out)) {
            RunCommand cmd = new RunCommand();
            cmd.modelId = "tiny";
            ChatRepl repl = new ChatRepl(terminal, null, (params, onText) -> {
                sent.add(params.deepCopy());
                onText.accept("Re");
                onText.accept("ply " + sent.size());
                return Json.object().put("text", "Reply " + sent.size());
            }, cmd::paramsFor, true, null);
            assertThat(repl.run()).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<String> contents(int call) {
        List<String> out = new ArrayList<>();
        sent.get(call).get("messages").forEach(m -> out.add(m.get("role").asText() + ":" + m.get("content").asText()));
        return out;
    }

    @Test
    void keepsTheConversationAndHandlesSetClearMultiLineAndBye() throws Exception {
        String out = chat(String.join("\n",
                "Hello",
                "/set system You are a pirate.",
                "Again",
                "\"\"\"First line",
                "second line\"\"\"",
                "/clear",
                "Fresh",
                "/nope",
                "/bye",
                "ignored after bye",
                ""));
        assertThat(sent).hasSize(4);
        assertThat(contents(0)).containsExactly("user:Hello");
        assertThat(contents(1)).containsExactly("system:You are a pirate.", "user:Hello", "assistant:Reply 1", "user:Again");
        assertThat(contents(2)).endsWith("user:First line\nsecond line");
        assertThat(contents(3)).containsExactly("system:You are a pirate.", "user:Fresh");
        assertThat(out).contains("Reply 1").contains("Set the system message.").contains("Cleared the conversation.")
                .contains("Unknown command '/nope'");
    }

    @Test
    void endOfInputLeaves() throws Exception {
        String out = chat("Hi\n");
        assertThat(sent).hasSize(1);
        assertThat(out).contains("Reply 1");
    }
}
