package io.llmcp.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmcp.api.EngineApi;
import io.llmcp.app.HostConfig;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineServer;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the root adds for an engine and nowhere else: the remote providers as a link of the method table's chain,
 * and the HTTP API as a listener over that table (started when asked, by {@code llmcp serve} or config).
 */
class HostEngineWiringTest {
    @TempDir
    Path dir;

    private HttpServer remote;

    /** A stand-in OpenAI-compatible server: one model, and a chat that streams "Hel" + "lo". */
    @BeforeEach
    void startRemote() throws IOException {
        remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/v1/models", ex -> send(ex, 200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"created\":1}]}"));
        remote.createContext("/v1/chat/completions", ex -> {
            String model = Json.MAPPER.readTree(ex.getRequestBody()).path("model").asText();
            if (!model.equals("m1")) {
                send(ex, 404, "application/json", "{\"error\":{\"message\":\"no such model\"}}");
                return;
            }
            send(ex, 200, "text/event-stream", "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                    + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n"
                    + "data: [DONE]\n\n");
        });
        remote.start();
        Files.writeString(dir.resolve("config.json"), "{\"remotes\": {\"r\": {\"url\": \"http://127.0.0.1:"
                + remote.getAddress().getPort() + "/v1\"}}}");
    }

    @AfterEach
    void stopRemote() {
        remote.stop(0);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private EngineServer engine() {
        return new EngineServer(new EnginePaths(dir, dir.resolve("run")), 600);
    }

    private static JsonNode call(MethodRegistry methods, String method, ObjectNode params, List<ObjectNode> notes) throws Exception {
        return methods.find(method).orElseThrow().handle(RpcCall.local(method, params, new CancellationToken(),
                (m, p) -> notes.add(p)));
    }

    @Test
    void theEngineOffersTheRemotesModelsAndTheInProcessTableDoesNot() throws Exception {
        try (Host host = Host.open(dir)) {
            MethodRegistry engineTable = host.forEngine().methodsFor(engine());
            JsonNode listed = call(engineTable, "models.list", Json.object(), new CopyOnWriteArrayList<>());
            assertThat(listed.path("models")).extracting(m -> m.path("modelId").asText()).containsExactly("r/m1");
            assertThat(listed.path("models").get(0).path("remote").asText()).isEqualTo("r");
            JsonNode local = call(host.methods(), "models.list", Json.object(), new CopyOnWriteArrayList<>());
            assertThat(local.path("models")).isEmpty();
        }
    }

    @Test
    void aRemoteGenerationStreamsThroughTheEnginesChain() throws Exception {
        try (Host host = Host.open(dir)) {
            MethodRegistry engineTable = host.forEngine().methodsFor(engine());
            ObjectNode params = Json.object().put("modelId", "r/m1");
            params.putArray("messages").addObject().put("role", "user").put("content", "Hi");
            List<ObjectNode> tokens = new CopyOnWriteArrayList<>();
            JsonNode result = call(engineTable, "generate", params, tokens);
            assertThat(result.path("text").asText()).isEqualTo("Hello");
            assertThat(result.path("provider").asText()).isEqualTo("remote:r");
            assertThat(result.path("finishReason").asText()).isEqualTo("stop");
            assertThat(tokens).extracting(t -> t.path("text").asText()).containsExactly("Hel", "lo");
            ObjectNode missing = params.deepCopy().put("modelId", "r/nope");
            assertThatThrownBy(() -> call(engineTable, "generate", missing, tokens))
                    .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.NOT_FOUND));
        }
    }

    @Test
    void theApiListensOnlyWhenAskedAndStopsWithItsListener() throws Exception {
        try (Host host = Host.open(dir)) {
            EngineServer.Services byConfig = host.forEngine();
            assertThat(byConfig.listen(byConfig.methodsFor(engine()))).as("api.enabled is off").isNull();

            List<String> started = new CopyOnWriteArrayList<>();
            EngineApi serve = new EngineApi(EngineApi.configured(host.config()).withBind("127.0.0.1", 0), s -> started.add(s.url()));
            EngineServer.Services served = host.forEngine(serve);
            EngineServer.Listener api = served.listen(served.methodsFor(engine()));
            assertThat(api).isNotNull();
            assertThat(started).hasSize(1);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest version = HttpRequest.newBuilder(URI.create(started.get(0) + "/api/version")).build();
            HttpResponse<String> answer = http.send(version, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(answer.body()).path("version").asText()).isNotBlank();
            api.close();
            assertThatThrownBy(() -> http.send(version, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    /** A config-enabled API that cannot bind leaves the engine serving without it; it never fails the engine. */
    @Test
    void aConfiguredApiThatCannotBindIsLeftOut() throws Exception {
        HttpServer taken = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try {
            Files.writeString(dir.resolve("config.json"), "{\"api\": {\"enabled\": true, \"port\": "
                    + taken.getAddress().getPort() + "}}");
            try (Host host = new Host(dir, HostConfig.load(dir), List.of())) {
                EngineServer.Services services = host.forEngine();
                assertThat(services.listen(services.methodsFor(engine()))).isNull();
            }
        } finally {
            taken.stop(0);
        }
    }
}
