package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
