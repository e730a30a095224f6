package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.RepoServer;
import io.llmcp.testing.ServeProcess;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * The API's guards on the real jar: API key, Host header (DNS rebinding), Origin and CORS, body size, the bounded
 * per-model queue (503), a client that disconnects cancelling its generation, and no serving beyond loopback
 * without a key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSafetyIT {
    static final String KEY = "test-key-123";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;
    RepoServer repo;
    ServeProcess serve;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws Exception {
        LlamaShape tiny = TestModels.tinyShape();
        // A long context, so a generation lasts seconds and can be interrupted.
        Path model = TestModels.writeModel(tmp.resolve("model"), new LlamaShape(tiny.layers(), tiny.hidden(), tiny.heads(),
                tiny.kvHeads(), tiny.intermediate(), tiny.vocab(), 8192, tiny.seed(), tiny.tiedEmbeddings()), Variant.KV_CACHE);
        repo = new RepoServer().putDirectory(model);
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve("config.json"), "{\"api\": {\"key\": \"" + KEY + "\", \"parallel\": 1, \"queue\": 0,"
                + " \"maxBodyBytes\": 65536, \"allowedOrigins\": [\"http://good.example\"], \"hostNames\": [\"llmcp.test\"]}}");
        serve = ServeProcess.start(home);
        CliRun.Result pull = serve.cli().run("pull", repo.baseUrl("org/long"), "--id", "long", "--json");
        assertThat(pull.exit()).as(pull.err()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (serve != null) serve.close();
        if (repo != null) repo.close();
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(serve.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static final String AUTH = "Bearer " + KEY;

    @Test
    void everyRequestNeedsTheKeyWhenOneIsSet() throws Exception {
        HttpResponse<String> none = send("GET", "/v1/models", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(none.body()).path("error").path("message").asText()).contains("Authorization: Bearer");
        assertThat(send("GET", "/api/tags", null, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(send("GET", "/api/tags", null, "Authorization", "Bearer wrong").body()).path("error").isTextual())
                .as("Ollama's error shape").isTrue();
        assertThat(send("GET", "/v1/models", null, "Authorization", AUTH).statusCode()).isEqualTo(200);
    }

    @Test
    void aForeignHostHeaderIsRefused() throws Exception {
        assertThat(rawStatus("evil.example:" + serve.port())).isEqualTo(403);
        assertThat(rawStatus("localhost:" + serve.port())).isEqualTo(200);
        assertThat(rawStatus("[::1]:" + serve.port())).isEqualTo(200);
        assertThat(rawStatus("llmcp.test")).as("a configured host name").isEqualTo(200);
    }

    /** Host cannot be set with java.net.http: a plain socket sends the request. */
    int rawStatus(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", serve.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/version HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void browserOriginsAreRefusedUnlessAllowed() throws Exception {
        HttpResponse<String> evil = send("GET", "/v1/models", null, "Authorization", AUTH, "Origin", "https://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("api.allowedOrigins");
        HttpResponse<String> good = send("GET", "/v1/models", null, "Authorization", AUTH, "Origin", "http://good.example");
        assertThat(good.statusCode()).isEqualTo(200);
        assertThat(good.headers().firstValue("Access-Control-Allow-Origin")).contains("http://good.example");
        HttpResponse<String> ext = send("GET", "/api/tags", null, "Authorization", AUTH,
                "Origin", "chrome-extension://elmmfbajkifjcdbkledoobbkbimigcib");
        assertThat(ext.statusCode()).as("the installed extension").isEqualTo(200);
        HttpResponse<String> preflight = send("OPTIONS", "/v1/chat/completions", null, "Origin", "http://good.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("authorization,content-type");
        assertThat(send("OPTIONS", "/v1/chat/completions", null, "Origin", "https://evil.example").statusCode()).isEqualTo(403);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        String big = "{\"model\":\"long\",\"prompt\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> r = send("POST", "/v1/completions", big, "Authorization", AUTH, "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(r.body()).path("error").path("message").asText()).contains("api.maxBodyBytes");
    }

    @Test
    void aFullQueueIs503AndADisconnectCancelsTheGeneration() throws Exception {
        String body = "{\"model\":\"long\",\"prompt\":\"hello\",\"stream\":true,\"max_tokens\":7000,\"temperature\":0}";
        try (Socket s = new Socket("127.0.0.1", serve.port())) {
            s.setSoTimeout(60_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + AUTH
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            int events = 0;
            for (String line; events < 3 && (line = in.readLine()) != null; ) if (line.startsWith("data: ")) events++;
            assertThat(events).as("tokens stream").isEqualTo(3);

            // api.parallel 1 and api.queue 0: a second request for the same model is refused at once.
            HttpResponse<String> busy = send("POST", "/v1/chat/completions",
                    "{\"model\":\"long\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}", "Authorization", AUTH);
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(busy.body()).contains("api.queue");
            HttpResponse<String> ollamaBusy = send("POST", "/api/generate",
                    "{\"model\":\"long\",\"prompt\":\"hi\",\"stream\":false,\"options\":{\"num_predict\":2}}", "Authorization", AUTH);
            assertThat(ollamaBusy.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(ollamaBusy.body()).path("error").asText()).contains("too many requests");
        }
        // The client went away: the engine cancels the generation at its next token, and the model's lane frees.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!serve.stderr().contains("the HTTP client went away; cancelled") && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(serve.stderr()).contains("the HTTP client went away; cancelled");
        HttpResponse<String> after = send("POST", "/v1/completions",
                "{\"model\":\"long\",\"prompt\":\"hello\",\"max_tokens\":2,\"temperature\":0}", "Authorization", AUTH);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        JsonNode r = Json.MAPPER.readTree(after.body());
        assertThat(r.path("object").asText()).isEqualTo("text_completion");
        assertThat(r.path("usage").path("completion_tokens").asInt()).isEqualTo(2);
        assertThat(r.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void unsupportedFeaturesAreAClear400() throws Exception {
        HttpResponse<String> format = send("POST", "/api/chat", "{\"model\":\"long\",\"format\":\"json\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
                "Authorization", AUTH);
        assertThat(format.statusCode()).isEqualTo(400);
        assertThat(format.body()).contains("not supported yet");
        HttpResponse<String> jsonMode = send("POST", "/v1/chat/completions", "{\"model\":\"long\",\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Authorization", AUTH);
        assertThat(jsonMode.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(jsonMode.body()).path("error").path("message").asText()).contains("not supported yet")
                .contains("json_schema");
        // structured output is supported, but a json_schema without its schema is the caller's mistake, named
        HttpResponse<String> schema = send("POST", "/v1/chat/completions", "{\"model\":\"long\",\"response_format\":{\"type\":\"json_schema\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "Authorization", AUTH);
        assertThat(schema.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(schema.body()).path("error").path("message").asText())
                .contains("response_format.json_schema.schema");
        assertThat(send("GET", "/v1/nothing", null, "Authorization", AUTH).statusCode()).isEqualTo(404);
    }

    @Test
    void servingBeyondLoopbackWithoutAKeyIsRefusedAtStart() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("nokey"));
        CliRun.Result r = new CliRun(other).env("XDG_RUNTIME_DIR", Files.createDirectories(other.resolve("run")).toString())
                .jvm("-XX:TieredStopAtLevel=1").timeout(Duration.ofSeconds(60)).run("serve", "--host", "0.0.0.0", "--port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("without an API key").contains("--api-key-env");
        CliRun.Result unset = new CliRun(other).env("XDG_RUNTIME_DIR", other.resolve("run").toString())
                .run("serve", "--port", "0", "--api-key-env", "LLMCP_TEST_NO_SUCH_VARIABLE");
        assertThat(unset.exit()).isEqualTo(2);
        assertThat(unset.err()).contains("LLMCP_TEST_NO_SUCH_VARIABLE");
    }
}
