package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.testing.CliRun;
import io.llmcp.testing.EngineReaper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** With {@code api.enabled} in config.json, the ordinary engine (started on demand by a CLI command) serves the API. */
class ApiEnabledEngineIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @AfterEach
    void reap() throws Exception {
        EngineReaper.stopEngines(tmp.resolve("home"));
    }

    @Test
    void theOnDemandEngineServesTheApiAndStaysUp() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve("config.json"), "{\"api\": {\"enabled\": true, \"port\": 0}}");
        CliRun cli = new CliRun(home).env("XDG_RUNTIME_DIR", Files.createDirectories(tmp.resolve("run")).toString())
                .jvm("-XX:TieredStopAtLevel=1");
        CliRun.Result list = cli.run("list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        String url = null;
        Pattern p = Pattern.compile("HTTP API on (http://127\\.0\\.0\\.1:\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (url == null && System.nanoTime() < deadline) {
            try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    Matcher m = p.matcher(Files.readString(log));
                    if (m.find()) url = m.group(1);
                }
            }
            if (url == null) Thread.sleep(100);
        }
        assertThat(url).as("the engine logs where its API listens").isNotNull();
        HttpResponse<String> tags = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/tags")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tags.statusCode()).isEqualTo(200);
        assertThat(tags.body()).contains("all-minilm-l6-v2");
        CliRun.Result status = cli.run("engine", "status", "--json");
        assertThat(status.exit()).as(status.err()).isZero();
        CliRun.Result stop = cli.run("engine", "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
    }
}
