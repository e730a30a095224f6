package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.llmcp.protocol.Json;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.RepoServer;
import io.llmcp.testing.ServeProcess;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote providers against a second real engine: engine A ({@code llmcp serve}, with an API key) holds the tiny
 * model; engine B gets A's {@code /v1} as remote {@code a} and offers {@code a/tiny} in {@code models.list}, its
 * API and {@code generate} — the same greedy text A gives, streamed, cancelled through, errors with their fix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteProvidersIT {
    static final String TEXT = "Why is the sky blue?";
    static final String KEY = "key-of-a";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;
    RepoServer repo;
    ServeProcess a;
    ServeProcess b;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws Exception {
        LlamaShape tiny = TestModels.tinyShape();
        Path model = TestModels.writeModel(tmp.resolve("model"), new LlamaShape(tiny.layers(), tiny.hidden(), tiny.heads(),
                tiny.kvHeads(), tiny.intermediate(), tiny.vocab(), 8192, tiny.seed(), tiny.tiedEmbeddings()), Variant.KV_CACHE);
        repo = new RepoServer().putDirectory(model);
        Path homeA = Files.createDirectories(tmp.resolve("a"));
        Files.writeString(homeA.resolve("config.json"), "{\"api\": {\"key\": \"" + KEY + "\"}}");
        a = ServeProcess.start(homeA);
        CliRun.Result pull = a.cli().run("pull", repo.baseUrl("org/tiny"), "--id", "tiny", "--json");
        assertThat(pull.exit()).as(pull.err()).isZero();
        b = ServeProcess.start(tmp.resolve("b"));
        CliRun.Result add = b.cli().env("A_KEY", KEY).run("remote", "add", "a", "--url", a.url() + "/v1", "--api-key-env", "A_KEY");
        assertThat(add.exit()).as(add.err()).isZero();
        assertThat(b.cli().run("remote", "add", "nokey", "--url", a.url() + "/v1").exit()).isZero();
        assertThat(b.cli().run("remote", "add", "gone", "--url", "http://127.0.0.1:1/v1").exit()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (b != null) b.close();
        if (a != null) a.close();
        if (repo != null) repo.close();
    }

    @Test
    void remoteModelsAreListedAndGenerateExactlyWhatTheRemoteDoes() throws Exception {
        CliRun.Result list = b.cli().run("list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.json().path("models").findValuesAsText("modelId")).contains("a/tiny");
        CliRun.Result remotes = b.cli().run("remote", "list", "--json");
        assertThat(remotes.out()).contains("\"hasKey\" : true").doesNotContain(KEY);

        String expected = a.cli().run("run", "tiny", "--chat", "--temperature", "0", TEXT).out().replaceFirst("\n$", "");
        CliRun.Result viaB = b.cli().run("run", "a/tiny", "--chat", "--temperature", "0", TEXT);
        assertThat(viaB.exit()).as(viaB.err()).isZero();
        assertThat(viaB.out()).isEqualTo(expected + "\n");
        assertThat(viaB.err()).contains("remote:a");

        OpenAiChatModel openai = OpenAiChatModel.builder().baseUrl(b.url() + "/v1").apiKey("unused").modelName("a/tiny")
                .temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        assertThat(openai.chat(TEXT)).isEqualTo(expected);
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(b.url() + "/api/tags")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(models.body()).contains("\"a/tiny\"");
    }

    @Test
    void errorsSayWhatToFix() throws Exception {
        JsonNode noKey = post(b.url() + "/v1/chat/completions", "{\"model\":\"nokey/tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(noKey.path("error").path("message").asText()).contains("401").contains("llmcp remote add nokey");
        JsonNode gone = post(b.url() + "/api/chat", "{\"model\":\"gone/tiny\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(gone.path("error").asText()).contains("unreachable");
        JsonNode missing = post(b.url() + "/v1/chat/completions", "{\"model\":\"a/nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(missing.path("error").path("message").asText()).contains("no model 'nope'");
        CliRun.Result plain = b.cli().run("remote", "add", "far", "--url", "http://10.1.2.3/v1");
        assertThat(plain.exit()).isEqualTo(2);
        assertThat(plain.err()).contains("https").contains("-32024");
        // The CLI refuses what remotes.add refuses, with the same code and words (one RemoteSettings).
        CliRun.Result hostile = b.cli().run("remote", "add", "../x", "--url", a.url() + "/v1");
        assertThat(hostile.exit()).isEqualTo(2);
        assertThat(hostile.err()).contains("-32602").contains("'name'");
        assertThat(b.cli().run("remote", "list", "--json").out()).doesNotContain("../x");
    }

    @Test
    void aClientLeavingEngineBCancelsTheGenerationOnEngineA() throws Exception {
        String body = "{\"model\":\"a/tiny\",\"prompt\":\"hello\",\"stream\":true,\"max_tokens\":7000,\"temperature\":0}";
        try (Socket s = new Socket("127.0.0.1", b.port())) {
            s.setSoTimeout(60_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(bytes);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            int events = 0;
            for (String line; events < 3 && (line = in.readLine()) != null; ) if (line.startsWith("data: ")) events++;
            assertThat(events).isEqualTo(3);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && !(b.stderr().contains("went away") && a.stderr().contains("went away"))) Thread.sleep(50);
        assertThat(b.stderr()).as("engine B cancels").contains("the HTTP client went away; cancelled");
        assertThat(a.stderr()).as("and so engine A, whose client B hung up").contains("the HTTP client went away; cancelled");
    }

    JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(400);
        return Json.MAPPER.readTree(r.body());
    }
}
