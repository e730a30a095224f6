package io.llmcp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTemplatesTest {
    @Test
    void theJarsTemplatesAreTheRepositorysFiles() throws Exception {
        // One source of truth: the classpath copies come from ../manifests at build time.
        Path repoManifests = Path.of("..", "manifests");
        assertThat(Json.MAPPER.readTree(repoManifests.resolve("chrome.json").toFile())).isEqualTo(ManifestTemplates.template(Browser.Family.CHROMIUM));
        assertThat(Json.MAPPER.readTree(repoManifests.resolve("firefox.json").toFile())).isEqualTo(ManifestTemplates.template(Browser.Family.FIREFOX));
    }

    @Test
    void chromeManifestAllowsEachIdAsAnOrigin() throws Exception {
        byte[] bytes = ManifestTemplates.render(Browser.Family.CHROMIUM, Path.of("/opt/llmcp/bin/llmcp-host"),
                List.of("elmmfbajkifjcdbkledoobbkbimigcib", "abcdefghijklmnopabcdefghijklmnop"));
        JsonNode m = Json.MAPPER.readTree(bytes);
        assertThat(m.path("name").asText()).isEqualTo("io.llmcp.host");
        assertThat(m.path("type").asText()).isEqualTo("stdio");
        assertThat(m.path("description").asText()).isNotBlank();
        assertThat(m.path("path").asText()).isEqualTo("/opt/llmcp/bin/llmcp-host");
        assertThat(m.path("allowed_origins")).extracting(JsonNode::asText)
                .containsExactly("chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib/", "chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        assertThat(m.has("allowed_extensions")).isFalse();
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("${").endsWith("}\n");
    }

    @Test
    void firefoxManifestAllowsAddonIds() throws Exception {
        JsonNode m = Json.MAPPER.readTree(ManifestTemplates.render(Browser.Family.FIREFOX, Path.of("/x/llmcp-host"), List.of("llmcp@llmcp.io")));
        assertThat(m.path("allowed_extensions")).extracting(JsonNode::asText).containsExactly("llmcp@llmcp.io");
        assertThat(m.has("allowed_origins")).isFalse();
    }

    @Test
    void awkwardPathsAreEscapedAsJsonNotPastedAsText() throws Exception {
        Path odd = Path.of("/tmp/we\"ird dir\\with\ttab/llmcp-host");
        JsonNode m = Json.MAPPER.readTree(ManifestTemplates.render(Browser.Family.CHROMIUM, odd, List.of("elmmfbajkifjcdbkledoobbkbimigcib")));
        assertThat(m.path("path").asText()).isEqualTo(odd.toString());
    }

    @Test
    void extensionIdsAreValidatedAndNormalised() {
        assertThat(ExtensionIds.toOrigin("abcdefghijklmnopabcdefghijklmnop")).isEqualTo("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        assertThat(ExtensionIds.toOrigin("chrome-extension://abcdefghijklmnopabcdefghijklmnop")).isEqualTo("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        assertThat(ExtensionIds.toOrigin("me@example.org")).isEqualTo("me@example.org");
        assertThat(ExtensionIds.toOrigin("{12345678-1234-1234-1234-123456789abc}")).isEqualTo("{12345678-1234-1234-1234-123456789abc}");
        for (String bad : List.of("", "xyz", "ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP", "abcdefghijklmnopabcdefghijklmnoz", "../x@y", "a b@c")) {
            assertThatThrownBy(() -> ExtensionIds.toOrigin(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extension id");
        }
        List<String> origins = List.of("chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "me@example.org", "llmcp@llmcp.io");
        assertThat(ExtensionIds.chromeIds(origins)).containsExactly("elmmfbajkifjcdbkledoobbkbimigcib", "abcdefghijklmnopabcdefghijklmnop");
        assertThat(ExtensionIds.firefoxIds(origins)).containsExactly("llmcp@llmcp.io", "me@example.org");
    }

    @Test
    void launcherScriptsPinJavaAndPassArgumentsThrough() {
        String sh = Launchers.sh("host", Path.of("/j dk/bin/java"), Path.of("/d/it's/llmcp-host.jar"), Path.of("/d/it's"));
        assertThat(sh).startsWith("#!/bin/sh\n")
                .contains("LLMCP_HOME='/d/it'\\''s'\nexport LLMCP_HOME\n")
                .contains("JAVA='/j dk/bin/java'\n")
                .contains("$JAVA_HOME/bin/java")
                .contains("MALLOC_MMAP_THRESHOLD_=\"${MALLOC_MMAP_THRESHOLD_:-1048576}\"\nexport MALLOC_MMAP_THRESHOLD_\n")
                .endsWith("exec \"$JAVA\" ${LLMCP_JAVA_OPTS:--XX:+UseSerialGC -Xms16m} -jar '/d/it'\\''s/llmcp-host.jar' \"$@\"\n");
        assertThat(Launchers.sh("host", Path.of("/java"), Path.of("/x.jar"), null)).doesNotContain("LLMCP_HOME");

        String bat = Launchers.batch("host", Path.of("C:/Program Files/Java/bin/java.exe"), Path.of("C:/Users/a/100%/llmcp-host.jar"), null);
        assertThat(bat).startsWith("@echo off\r\n").doesNotContain("LLMCP_HOME")
                .contains("set \"LLMCP_JAVA=C:/Program Files/Java/bin/java.exe\"\r\n")
                .contains("if not defined LLMCP_JAVA_OPTS set \"LLMCP_JAVA_OPTS=-XX:+UseSerialGC -Xms16m\"\r\n")
                .endsWith("\"%LLMCP_JAVA%\" %LLMCP_JAVA_OPTS% -jar \"C:/Users/a/100%%/llmcp-host.jar\" %*\r\n");
        assertThat(Launchers.batch("host", Path.of("j"), Path.of("x.jar"), Path.of("D:/llmcp"))).contains("set \"LLMCP_HOME=D:/llmcp\"\r\n");
    }

    @Test
    void registryCommandsAreExact() {
        RegistryCommand add = RegistryCommand.setDefault("HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\io.llmcp.host", "C:\\Users\\a b\\m.json");
        assertThat(add.display()).isEqualTo("reg add \"HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\io.llmcp.host\" /ve /t REG_SZ /d \"C:\\Users\\a b\\m.json\" /f");
        assertThat(add.argv()).containsExactly("reg", "add", "HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\io.llmcp.host",
                "/ve", "/t", "REG_SZ", "/d", "C:\\Users\\a b\\m.json", "/f");
        RegistryCommand del = RegistryCommand.delete("HKCU\\Software\\Mozilla\\NativeMessagingHosts\\io.llmcp.host");
        assertThat(del.display()).isEqualTo("reg delete \"HKCU\\Software\\Mozilla\\NativeMessagingHosts\\io.llmcp.host\" /f");
        assertThat(del.argv()).containsExactly("reg", "delete", "HKCU\\Software\\Mozilla\\NativeMessagingHosts\\io.llmcp.host", "/f");
    }

    @Test
    void templatesAreOnTheClasspathAsFiles() {
        assertThat(ManifestTemplates.class.getResource("/manifests/chrome.json")).isNotNull();
        assertThat(Files.isRegularFile(Path.of("..", "manifests", "firefox.json"))).isTrue();
    }
}
