package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.Json;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {
    @TempDir
    Path dir;

    @Test
    void pinnedOriginsAreAlwaysAllowedAndAddedOnesPersist() throws Exception {
        HostConfig c = HostConfig.load(dir);
        assertThat(c.allowedOrigins()).contains("chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/", "llmcp@llmcp.io");
        c.addAllowedOrigins(List.of("chrome-extension://abcdefghijklmnopabcdefghijklmnop/"));
        c.save();
        assertThat(HostConfig.load(dir).allowedOrigins()).contains("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
    }

    @Test
    void aBrokenConfigFileSaysWhereAndHowToFixIt() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{oops");
        assertThatThrownBy(() -> HostConfig.load(dir)).hasMessageContaining("config.json").hasMessageContaining("fix or delete");
    }

    @Test
    void sectionsAreEmptyObjectsWhenAbsent() {
        assertThat(HostConfig.load(dir).section("store").size()).isZero();
    }

    @Test
    void setUnsetAndSaveWriteThePrivateFileAtomically() throws Exception {
        HostConfig c = HostConfig.load(dir);
        c.set("fetch.token", Json.MAPPER.getNodeFactory().textNode("hf_secret"));
        c.set("engine.idleExitSeconds", Json.MAPPER.getNodeFactory().numberNode(60));
        c.save();
        Path file = dir.resolve("config.json");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
        HostConfig again = HostConfig.load(dir);
        assertThat(again.get("fetch.token").asText()).isEqualTo("hf_secret");
        assertThat(again.section("engine").path("idleExitSeconds").asInt()).isEqualTo(60);
        assertThat(again.unset("fetch.token")).isTrue();
        assertThat(again.unset("fetch.token")).isFalse();
        again.save();
        assertThat(Files.readString(file)).doesNotContain("fetch").contains("idleExitSeconds");
    }

    @Test
    void valuesOfTheWrongTypeAreReportedAndNotHandedToTheSubsystems() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"fetch\": {\"parallelParts\": \"four\", \"maxRetries\": 3}, \"nope\": 1}");
        HostConfig c = HostConfig.load(dir);
        assertThat(c.problems()).containsExactlyInAnyOrder("fetch.parallelParts: must be an integer from 1 to 16", "nope: unknown setting");
        assertThat(c.section("fetch").has("parallelParts")).isFalse();
        assertThat(c.section("fetch").path("maxRetries").asInt()).isEqualTo(3);
        assertThat(c.get("fetch.parallelParts").asText()).as("the file itself is left as it is").isEqualTo("four");
    }
}
