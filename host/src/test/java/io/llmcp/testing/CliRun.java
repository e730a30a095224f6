package io.llmcp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real jar's {@code llmcp} command run as a child process against its own data dir, as the CLI ITs use it:
 * stdin closed (a command must never wait for input), stdout and stderr captured whole, a time limit.
 */
public final class CliRun {
    /** What one command printed and how it ended. */
    public record Result(int exit, String out, String err) {
        public JsonNode json() throws IOException {
            return Json.MAPPER.readTree(out);
        }
    }

    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(120);

    /** Commands that will run with {@code LLMCP_HOME=home}. */
    public CliRun(Path home) {
        environment.put("LLMCP_HOME", home.toString());
    }

    public CliRun env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public CliRun jvm(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    public CliRun timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(HostProcess.javaBin());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(HostProcess.jar().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(environment);
        Path out = Files.createTempFile("llmcp-cli-out", ".txt");
        Path err = Files.createTempFile("llmcp-cli-err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            try {
                assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("llmcp " + List.of(args) + " finished").isTrue();
            } finally {
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
