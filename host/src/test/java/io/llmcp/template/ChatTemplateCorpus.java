package io.llmcp.template;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The shared conformance corpus ({@code ../shared/chat-templates/} beside the repository root), read in place:
 * its templates and expectations are not copied into the project. A missing corpus fails loudly.
 */
final class ChatTemplateCorpus {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Path dir;
    final JsonNode cases;
    final JsonNode expected;

    private ChatTemplateCorpus(Path dir) throws IOException {
        this.dir = dir;
        this.cases = MAPPER.readTree(Files.readString(dir.resolve("cases.json"), StandardCharsets.UTF_8));
        this.expected = MAPPER.readTree(Files.readString(dir.resolve("expected.json"), StandardCharsets.UTF_8));
    }

    static ChatTemplateCorpus load() {
        Path dir = sharedDir().resolve("chat-templates");
        if (!Files.isRegularFile(dir.resolve("cases.json")) || !Files.isRegularFile(dir.resolve("expected.json"))) {
            fail("chat-template corpus not found at " + dir.toAbsolutePath()
                    + " (expected the repository's sibling ../shared/chat-templates/, or -Dllmcp.sharedDir=<shared>)");
        }
        try {
            return new ChatTemplateCorpus(dir);
        } catch (IOException e) {
            throw new AssertionError("cannot read chat-template corpus at " + dir, e);
        }
    }

    String templateText(String template) throws IOException {
        return Files.readString(dir.resolve(cases.get("templates").get(template).get("file").asText()),
                StandardCharsets.UTF_8);
    }

    /** {@code -Dllmcp.sharedDir}, else {@code ../shared} next to the repo root (the directory with host/ and pom.xml). */
    static Path sharedDir() {
        String override = System.getProperty("llmcp.sharedDir");
        if (override != null && !override.isBlank()) {
            return Paths.get(override);
        }
        Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("host")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("..").resolve("shared").normalize();
            }
        }
        fail("cannot find the repository root (a directory with host/ and pom.xml) above " + start
                + "; set -Dllmcp.sharedDir=<path to shared/>");
        return null;
    }
}
