package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import io.llmcp.testing.CliRun;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llmcp config} of the real jar against its own data dir (no engine: the command only edits the file). */
class ConfigCommandIT {
    @TempDir
    Path home;

    CliRun.Result llmcp(String... args) throws Exception {
        return new CliRun(home).env("HF_TOKEN", "").run(args);
    }

    JsonNode file() throws Exception {
        return Json.MAPPER.readTree(home.resolve("config.json").toFile());
    }

    @Test
    void setGetListUnsetThroughTheRealJar() throws Exception {
        CliRun.Result set = llmcp("config", "set", "engine.idleExitSeconds", "120");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("engine.idleExitSeconds = 120 (was 600, the default)")
                .contains("takes effect when the engine restarts: `llmcp engine stop`");
        assertThat(file().path("engine").path("idleExitSeconds").asInt()).isEqualTo(120);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config.json")))).isEqualTo("rw-------");
        }

        assertThat(llmcp("config", "set", "inference.provider", "CPU").exit()).isZero();
        assertThat(llmcp("config", "set", "fetch.allowHttpHosts", "lan.local,nas.local").exit()).isZero();
        assertThat(file().path("fetch").path("allowHttpHosts").toString()).isEqualTo("[\"lan.local\",\"nas.local\"]");
        assertThat(llmcp("config", "get", "inference.provider").out().trim()).isEqualTo("cpu");
        assertThat(llmcp("config", "get", "fetch.parallelParts").out().trim()).isEqualTo("4 (default)");

        // The token: stored as given, masked unless asked for.
        CliRun.Result token = llmcp("config", "set", "fetch.token", "hf_topsecret", "--json");
        assertThat(token.out()).doesNotContain("hf_topsecret");
        assertThat(token.json().path("value").asText()).isEqualTo(ConfigCommand.MASK);
        assertThat(token.json().path("restartNeeded").asBoolean()).isTrue();
        assertThat(file().path("fetch").path("token").asText()).isEqualTo("hf_topsecret");
        assertThat(llmcp("config", "get", "fetch.token").out()).doesNotContain("hf_topsecret").contains(ConfigCommand.MASK);
        assertThat(llmcp("config", "get", "fetch.token", "--show-secrets").out().trim()).isEqualTo("hf_topsecret");
        CliRun.Result list = llmcp("config", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).doesNotContain("hf_topsecret").contains("fetch.token").contains(ConfigCommand.MASK)
                .contains("engine.idleExitSeconds").contains("llmcp engine stop");
        JsonNode listed = llmcp("config", "list", "--json").json();
        assertThat(listed.path("file").asText()).isEqualTo(home.resolve("config.json").toString());
        assertThat(listed.path("problems")).isEmpty();
        JsonNode provider = null;
        for (JsonNode s : listed.path("settings")) if (s.path("key").asText().equals("inference.provider")) provider = s;
        assertThat(provider.path("value").asText()).isEqualTo("cpu");
        assertThat(provider.path("allowed").asText()).isEqualTo("one of auto, cpu, cuda");
        assertThat(listed.toString()).doesNotContain("hf_topsecret");

        CliRun.Result unset = llmcp("config", "unset", "fetch.token", "--json");
        assertThat(unset.json().path("removed").asBoolean()).isTrue();
        assertThat(file().path("fetch").has("token")).isFalse();
        assertThat(llmcp("config", "unset", "fetch.token").out()).contains("was not set");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("config")))
                    .as("no temporary file left").containsExactly("config.json");
        }
    }

    @Test
    void unknownKeysAndWrongValuesAreRefusedAndTheFileIsUntouched() throws Exception {
        assertThat(llmcp("config", "set", "store.cacheMb", "32").exit()).isZero();
        String before = Files.readString(home.resolve("config.json"));

        CliRun.Result unknown = llmcp("config", "set", "fetch.tokn", "x");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("unknown setting 'fetch.tokn'").contains("fetch.token");
        CliRun.Result range = llmcp("config", "set", "fetch.parallelParts", "64");
        assertThat(range.exit()).isNotZero();
        assertThat(range.err()).contains("fetch.parallelParts must be an integer from 1 to 16, not 64");
        CliRun.Result type = llmcp("config", "set", "store.compress", "sometimes");
        assertThat(type.err()).contains("store.compress must be true or false");
        CliRun.Result enumValue = llmcp("config", "set", "inference.provider", "tpu");
        assertThat(enumValue.err()).contains("inference.provider must be one of auto, cpu, cuda");
        CliRun.Result origin = llmcp("config", "set", "allowedOrigins", "not an id");
        assertThat(origin.err()).contains("is not an extension id");
        assertThat(llmcp("config", "get", "nope").err()).contains("unknown setting 'nope'");
        assertThat(Files.readString(home.resolve("config.json"))).isEqualTo(before);

        // A bare Chrome id is stored as the origin the host is called with.
        assertThat(llmcp("config", "set", "allowedOrigins", "abcdefghijklmnopabcdefghijklmnop").exit()).isZero();
        assertThat(file().path("allowedOrigins").get(0).asText()).isEqualTo("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
    }

    @Test
    void problemsInAHandEditedFileAreListedAndATypoCanBeRemoved() throws Exception {
        Files.writeString(home.resolve("config.json"), "{\"fetch\": {\"parallelParts\": \"four\", \"tokn\": \"x\"}}");
        CliRun.Result list = llmcp("config", "list", "--json");
        assertThat(list.exit()).as("problems make list exit 1").isEqualTo(1);
        assertThat(list.json().path("problems").toString())
                .contains("fetch.parallelParts: must be an integer from 1 to 16").contains("fetch.tokn: unknown setting");
        assertThat(llmcp("config", "unset", "fetch.tokn").exit()).isZero();
        assertThat(llmcp("config", "set", "fetch.parallelParts", "2").exit()).isZero();
        assertThat(llmcp("config", "list").exit()).isZero();
        assertThat(file().toString()).isEqualTo("{\"fetch\":{\"parallelParts\":2}}");
    }
}
