package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchModeTest {
    @Test
    void chromePassesTheOriginFirst() {
        String[] args = {"chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/", "--parent-window=0"};
        assertThat(LaunchMode.normalise(args))
                .containsExactly("native-host", "--origin", "chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/");
    }

    @Test
    void firefoxPassesTheManifestPathAndTheExtensionId() {
        String[] args = {"/home/ada/.mozilla/native-messaging-hosts/io.llmcp.host.json", "llmcp@llmcp.io"};
        assertThat(LaunchMode.normalise(args)).containsExactly("native-host", "--origin", "llmcp@llmcp.io");
    }

    @Test
    void cliArgumentsAreLeftAlone() {
        assertThat(LaunchMode.normalise(new String[] {"pull", "https://x/y"})).containsExactly("pull", "https://x/y");
        assertThat(LaunchMode.normalise(new String[] {})).isEmpty();
        assertThat(LaunchMode.normalise(new String[] {"import", "model.json", "--force"}))
                .containsExactly("import", "model.json", "--force");
    }
}
