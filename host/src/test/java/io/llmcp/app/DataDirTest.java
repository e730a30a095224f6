package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirTest {
    private final Path home = Path.of("/home/ada");

    @Test
    void llmcpHomeWinsEverywhere() {
        for (String os : new String[] {"Linux", "Mac OS X", "Windows 11"}) {
            assertThat(DataDir.resolve(Map.of("LLMCP_HOME", "/data/llm"), os, home)).isEqualTo(Path.of("/data/llm"));
        }
    }

    @Test
    void linuxUsesXdgDataHomeOrItsDefault() {
        assertThat(DataDir.resolve(Map.of(), "Linux", home)).isEqualTo(Path.of("/home/ada/.local/share/llmcp"));
        assertThat(DataDir.resolve(Map.of("XDG_DATA_HOME", "/x/data"), "Linux", home)).isEqualTo(Path.of("/x/data/llmcp"));
        // The XDG spec says relative values are invalid and must be ignored.
        assertThat(DataDir.resolve(Map.of("XDG_DATA_HOME", "rel"), "Linux", home)).isEqualTo(Path.of("/home/ada/.local/share/llmcp"));
    }

    @Test
    void macUsesApplicationSupport() {
        assertThat(DataDir.resolve(Map.of(), "Mac OS X", home))
                .isEqualTo(Path.of("/home/ada/Library/Application Support/llmcp"));
    }

    @Test
    void windowsUsesLocalAppData() {
        assertThat(DataDir.resolve(Map.of("LOCALAPPDATA", "/c/Users/ada/AppData/Local"), "Windows 10", home))
                .isEqualTo(Path.of("/c/Users/ada/AppData/Local/llmcp"));
        assertThat(DataDir.resolve(Map.of(), "Windows 10", home)).isEqualTo(Path.of("/home/ada/AppData/Local/llmcp"));
    }
}
