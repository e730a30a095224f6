package io.llmcp.install;

import io.llmcp.testing.EngineReaper;
import org.junit.jupiter.api.AfterEach;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.app.HostConfig;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs install/install.sh for real into a temporary HOME and LLMCP_HOME (using the jar this build just packaged, never
 * rebuilding it), then starts the installed launcher exactly as a browser does and talks native messaging to it.
 */
@DisabledOnOs(OS.WINDOWS)
class InstallScriptIT {
    @AfterEach
    void stopEngines() throws Exception {
        if (data != null) EngineReaper.stopEngines(data);
    }

    static final String CHROME_ORIGIN = "chrome-extension://" + HostConfig.CHROME_EXTENSION_ID + "/";

    @TempDir
    Path tmp;
    Path home;
    Path data;
    Path root;

    @BeforeEach
    void setUp() throws Exception {
        Path jar = Path.of(System.getProperty("llmcp.jar", "target/llmcp-host.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged jar; run 'mvn verify'").isRegularFile();
        root = jar.getParent().getParent().getParent(); // <root>/host/target/llmcp-host.jar
        assertThat(root.resolve("install/install.sh")).isRegularFile();
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve(".config/google-chrome")); // a "detected" Chrome
        Files.createDirectories(home.resolve(".mozilla"));              // and Firefox
        data = home.resolve("llmcp-data");
    }

    private ProcessBuilder withTempHome(ProcessBuilder pb, boolean exportHome) {
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("XDG_") || k.startsWith("LLMCP_"));
        env.put("HOME", home.toString());
        if (exportHome) env.put("LLMCP_HOME", data.toString());
        return pb.directory(tmp.toFile());
    }

    private Run script(String name, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", root.resolve("install").resolve(name).toString()));
        cmd.addAll(List.of(args));
        Process p = withTempHome(new ProcessBuilder(cmd), true).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = readAll(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        return new Run(p.exitValue(), out.get(5, TimeUnit.SECONDS));
    }

    record Run(int exit, String output) {
    }

    @Test
    void installThenBrowserLaunchesThenUninstall() throws Exception {
        Run install = script("install.sh");
        assertThat(install.exit()).as(install.output()).isZero();
        assertThat(install.output()).doesNotContain("Building");

        Path launcher = data.resolve("bin/llmcp-host");
        Path chromeManifest = home.resolve(".config/google-chrome/NativeMessagingHosts/io.llmcp.host.json");
        Path firefoxManifest = home.resolve(".mozilla/native-messaging-hosts/io.llmcp.host.json");
        for (Path m : List.of(chromeManifest, firefoxManifest)) {
            JsonNode manifest = Json.MAPPER.readTree(m.toFile());
            assertThat(manifest.path("name").asText()).isEqualTo("io.llmcp.host");
            assertThat(manifest.path("path").asText()).isEqualTo(launcher.toString());
            assertThat(install.output()).contains("created      manifest  " + m);
        }
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(install.output()).contains("Load unpacked").contains(root.resolve("extension").toString())
                .contains("about:debugging").contains(root.resolve("extension/manifest.json").toString());

        // Chrome's launch: the origin as the only argument, frames on stdin/stdout. No LLMCP_HOME in the
        // environment: the launcher must carry the installer's data dir itself.
        JsonNode info = hostInfo(List.of(launcher.toString(), CHROME_ORIGIN));
        assertThat(info.path("name").asText()).isEqualTo("llmcp");
        assertThat(info.path("protocolVersion").asText()).isNotEmpty();
        assertThat(info.path("dataDir").asText()).isEqualTo(data.toString());
        // Firefox's launch: the manifest path and the add-on id; JVM options from the inherited environment.
        assertThat(hostInfo(List.of(launcher.toString(), firefoxManifest.toString(), HostConfig.FIREFOX_EXTENSION_ID),
                Map.of("LLMCP_JAVA_OPTS", "-Xmx256m -Dllmcp.it=1")).path("name").asText()).isEqualTo("llmcp");

        // A second install changes nothing.
        Run again = script("install.sh");
        assertThat(again.exit()).isZero();
        assertThat(again.output()).doesNotContain("created ").doesNotContain("updated ").contains("unchanged    manifest");

        Run uninstall = script("uninstall.sh");
        assertThat(uninstall.exit()).as(uninstall.output()).isZero();
        assertThat(chromeManifest).doesNotExist();
        assertThat(firefoxManifest).doesNotExist();
        assertThat(launcher).doesNotExist();
        assertThat(home.resolve(".config/google-chrome/NativeMessagingHosts")).doesNotExist();
        assertThat(home.resolve(".config/google-chrome")).isDirectory();
    }

    @Test
    void anOriginNotAllowedIsRefusedWithALoggedReason() throws Exception {
        assertThat(script("install.sh", "--browser", "chrome").exit()).isZero();
        Process p = withTempHome(new ProcessBuilder(data.resolve("bin/llmcp-host").toString(),
                "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"), false).start();
        CompletableFuture<String> err = readAll(p.getErrorStream());
        CompletableFuture<String> out = readAll(p.getInputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out.get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(err.get(5, TimeUnit.SECONDS)).contains("refusing origin chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/");
        assertThat(logText(data.resolve("logs"))).contains("refusing origin");
    }

    @Test
    void dryRunJsonWritesNothingAndDoctorExitCodeFollowsTheInstall() throws Exception {
        Run doctorBefore = jar("doctor", "--json");
        assertThat(doctorBefore.exit()).as(doctorBefore.output()).isEqualTo(1);
        JsonNode before = Json.MAPPER.readTree(doctorBefore.output());
        assertThat(before.path("healthy").asBoolean()).isFalse();
        assertThat(before.path("checks").findValuesAsText("name")).contains("java", "launcher", "store", "onnxruntime");

        Run plan = jar("install", "--browser", "all", "--dry-run", "--json");
        assertThat(plan.exit()).as(plan.output()).isZero();
        JsonNode result = Json.MAPPER.readTree(plan.output());
        assertThat(result.path("dryRun").asBoolean()).isTrue();
        assertThat(result.path("browsers")).hasSize(Browser.values().length);
        assertThat(result.path("steps").findValuesAsText("status")).containsOnly("would create");
        // Only the logs the jar itself keeps in the data dir; no manifest, no launcher, no record.
        try (var files = Files.walk(home)) {
            assertThat(files.filter(Files::isRegularFile).map(home::relativize).map(Path::toString))
                    .allSatisfy(f -> assertThat(f).startsWith("llmcp-data/logs/"));
        }

        assertThat(jar("install").exit()).isZero();
        Run doctorAfter = jar("doctor");
        assertThat(doctorAfter.exit()).as(doctorAfter.output()).isZero();
        assertThat(doctorAfter.output()).contains("OK    manifest chrome").contains("OK    manifest firefox").contains("All good.");
    }

    /** {@code java -jar llmcp-host.jar ARGS} with the temporary HOME and LLMCP_HOME; stdout only. */
    private Run jar(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("llmcp.jar", "target/llmcp-host.jar")));
        cmd.addAll(List.of(args));
        Process p = withTempHome(new ProcessBuilder(cmd), true).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = readAll(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out.get(5, TimeUnit.SECONDS));
    }

    /** Starts the host the way a browser does, sends one framed host.info request and reads the framed answer. */
    private JsonNode hostInfo(List<String> command) throws Exception {
        return hostInfo(command, Map.of());
    }

    private JsonNode hostInfo(List<String> command, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = withTempHome(new ProcessBuilder(command), false);
        pb.environment().putAll(extraEnv);
        Process p = pb.redirectError(tmp.resolve("host-stderr.txt").toFile()).start();
        try {
            OutputStream in = p.getOutputStream();
            byte[] request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"host.info\"}".getBytes(StandardCharsets.UTF_8);
            in.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(request.length).array());
            in.write(request);
            in.flush();
            JsonNode response = CompletableFuture.supplyAsync(() -> readFrame(p.getInputStream())).get(30, TimeUnit.SECONDS);
            assertThat(response.path("id").asInt()).isEqualTo(1);
            assertThat(response.has("error")).as(response.toString()).isFalse();
            in.close(); // EOF: the host exits 0
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(tmp.resolve("host-stderr.txt"))).isZero();
            return response.path("result");
        } finally {
            p.destroyForcibly();
        }
    }

    private static JsonNode readFrame(InputStream out) {
        try {
            byte[] len = out.readNBytes(4);
            if (len.length < 4) throw new IOException("the host closed stdout without answering");
            int n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return Json.MAPPER.readTree(out.readNBytes(n));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<" + e + ">";
            }
        });
    }

    /** Every log file the host wrote (daily files, named llmcp-<date>.log). */
    private static String logText(Path logs) throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("llmcp"))::iterator) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
