package io.llmcp.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * An optional external corpus of chat templates ({@code chat-templates/} with {@code cases.json},
 * {@code expected.json} and the {@code .jinja} files they name) in the directory given by
 * {@code -Dllmcp.sharedDir}, or in a {@code shared/chat-templates} directory beside the repository. It is read in
 * place, never copied into the project, and is not needed: the repository's own conformance suite is
 * {@link ChatTemplateReferenceTest}. Tests over this corpus run when it is present and are reported as skipped
 * (a JUnit assumption) when it is not.
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

    /**
     * The corpus, or empty when there is none. A directory named explicitly with {@code -Dllmcp.sharedDir} must
     * hold it (a wrong path fails rather than skipping everything unnoticed).
     */
    static Optional<ChatTemplateCorpus> find() {
        Path dir = location();
        boolean present = dir != null && Files.isRegularFile(dir.resolve("cases.json"))
                && Files.isRegularFile(dir.resolve("expected.json"));
        if (!present) {
            if (explicitDir() != null) {
                throw new AssertionError("-Dllmcp.sharedDir=" + explicitDir() + " has no chat-templates/cases.json"
                        + " and chat-templates/expected.json");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new ChatTemplateCorpus(dir));
        } catch (IOException e) {
            throw new AssertionError("cannot read the external chat-template corpus at " + dir, e);
        }
    }

    /** The reason tests over the corpus are skipped. */
    static String absentMessage() {
        Path dir = location();
        return "optional external chat-template corpus not present"
                + (dir == null ? "" : " at " + dir.toAbsolutePath())
                + " (give -Dllmcp.sharedDir=<dir with chat-templates/> or put shared/chat-templates beside the"
                + " repository): skipped";
    }

    String templateText(String template) throws IOException {
        return Files.readString(dir.resolve(cases.get("templates").get(template).get("file").asText()),
                StandardCharsets.UTF_8);
    }

    /** {@code <sharedDir>/chat-templates}, or null when no candidate directory can be named. */
    private static Path location() {
        Path shared = explicitDir() != null ? Paths.get(explicitDir()) : besideRepository();
        return shared == null ? null : shared.resolve("chat-templates");
    }

    private static String explicitDir() {
        String override = System.getProperty("llmcp.sharedDir");
        return override == null || override.isBlank() ? null : override;
    }

    /** {@code ../shared} next to the repository root (the first directory upwards with host/ and pom.xml). */
    private static Path besideRepository() {
        for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("host")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p.resolve("..").resolve("shared").normalize();
            }
        }
        return null;
    }
}
