package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.protocol.Json;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.HostProcess;
import io.llmcp.testing.RepoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmcp run MODEL} of the real jar in a real pseudo-terminal (python3's pty module drives it, as a person
 * types): the {@code >>>} prompt, a reply, {@code /set system}, a {@code """} multi-line message, {@code /clear},
 * {@code /bye}; Ctrl-C stops a reply and the chat goes on; and with a prompt given, stdout is exactly the generated
 * text.
 */
class RunChatPtyIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    CliRun cli() throws Exception {
        return new CliRun(tmp.resolve("home")).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString())
                .jvm("-XX:TieredStopAtLevel=1");
    }

    void pullTinyModel() throws Exception {
        Path dir = tmp.resolve("tiny");
        // A long context, so a generation can run long enough to be stopped with Ctrl-C.
        CliRun.Result made = cli().run("testmodel", dir.toString(), "--max-positions", "8192");
        assertThat(made.exit()).as(made.err()).isZero();
        try (RepoServer repo = new RepoServer().putDirectory(dir)) {
            CliRun.Result pull = cli().run("pull", repo.baseUrl("org/tiny"), "--id", "tiny", "--no-engine", "--json");
            assertThat(pull.exit()).as(pull.err()).isZero();
        }
    }

    @Test
    void interactiveChatInAPseudoTerminal() throws Exception {
        pullTinyModel();
        String transcript = drive("6", List.of(
                step(">>> ", "Hello there\r"),
                step(">>> ", "/set system You are terse.\r"),
                step("Set the system message.", null),
                step(">>> ", "\"\"\"first line\r"),
                step("... ", "second line\"\"\"\r"),
                step(">>> ", "/clear\r"),
                step("Cleared the conversation.", null),
                step(">>> ", "/bye\r")));
        assertThat(transcript).contains("Chatting with the model").contains(">>> Hello there")
                .contains("Set the system message.").contains("Cleared the conversation.");
        assertThat(transcript.split(">>> ", -1).length).as("a prompt before each of the 5 inputs").isGreaterThanOrEqualTo(6);
        assertThat(Files.readString(tmp.resolve("home").resolve("chat_history"))).as("history is kept")
                .contains("Hello there").contains("/bye");
    }

    @Test
    @org.junit.jupiter.api.Disabled("not yet reliable: the tiny model's reply can end before the Ctrl-C arrives")
    void ctrlCStopsTheReplyNotTheChat() throws Exception {
        pullTinyModel();
        Map<String, Object> interrupt = step(null, "\u0003");
        interrupt.put("delay", 3);
        String transcript = drive("8000", List.of(
                step(">>> ", "Tell me a very long story\r"),
                interrupt,
                step("(stopped)", null),
                step(">>> ", "/bye\r")));
        assertThat(transcript).contains("(stopped)");
    }

    /** Runs {@code llmcp run tiny} in a pseudo-terminal through the script; returns what the terminal showed. */
    private String drive(String maxNewTokens, List<Map<String, Object>> steps) throws Exception {
        Path script = tmp.resolve("script.json");
        Files.writeString(script, Json.MAPPER.writeValueAsString(steps));
        Path driver = tmp.resolve("drive.py");
        try (var in = getClass().getResourceAsStream("/pty/drive.py")) {
            Files.copy(in, driver, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder pb = new ProcessBuilder("python3", driver.toString(), script.toString(), "--",
                HostProcess.javaBin(), "-XX:TieredStopAtLevel=1", "-jar", HostProcess.jar().toString(),
                "run", "tiny", "--no-engine", "--max-new-tokens", maxNewTokens, "--temperature", "0");
        pb.environment().put("LLMCP_HOME", tmp.resolve("home").toString());
        pb.environment().put("HOME", tmp.toString());
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String transcript;
        try {
            assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the chat ended").isTrue();
            transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(transcript).isZero();
        return transcript;
    }

    @Test
    void withAPromptStdoutIsExactlyTheGeneratedText() throws Exception {
        pullTinyModel();
        CliRun.Result json = cli().run("run", "tiny", "--chat", "--temperature", "0", "--max-new-tokens", "8", "--no-engine", "--json", "Hi");
        assertThat(json.exit()).as(json.err()).isZero();
        String text = json.json().path("text").asText();
        CliRun.Result plain = cli().run("run", "tiny", "--chat", "--temperature", "0", "--max-new-tokens", "8", "--no-engine", "Hi");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).isEqualTo(text + System.lineSeparator());
        CliRun.Result unknown = cli().run("run", "tinny", "--no-engine", "Hi");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("Did you mean 'tiny'?").contains("llmcp run tiny");
    }

    private static Map<String, Object> step(String expect, String send) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (expect != null) m.put("expect", expect);
        if (send != null) m.put("send", send);
        return m;
    }
}
