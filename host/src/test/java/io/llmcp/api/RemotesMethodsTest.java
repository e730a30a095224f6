package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.EngineServer;
import io.llmcp.host.Host;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code remotes.list|add|remove|test} on the engine's real method table (so through its interceptor chain), against
 * a stand-in OpenAI-compatible server: what is stored and how, what is refused and with which code and field, that a
 * key never comes back, and that {@code remotes.test} says what to fix.
 */
class RemotesMethodsTest {
    static final String KEY = "sk-test-0123456789";

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    private Host host;
    private MethodRegistry methods;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/models", ex -> send(ex, 200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"id\":\"m1\",\"created\":1},{\"id\":\"m2\"},{\"object\":\"model\"}]}"));
        server.createContext("/secure/v1/models", ex -> {
            boolean ok = ("Bearer " + KEY).equals(ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, ok ? 200 : 401, "application/json", ok ? "{\"data\":[{\"id\":\"s1\"}]}" : "{\"error\":{\"message\":\"bad key\"}}");
        });
        server.createContext("/moved/v1/models", ex -> {
            ex.getResponseHeaders().set("Location", "https://elsewhere.example/v1/models");
            send(ex, 302, "text/plain", "");
        });
        server.createContext("/web/v1/models", ex -> send(ex, 200, "text/html", "<html>a web page</html>"));
        server.createContext("/broken/v1/models", ex -> send(ex, 500, "text/plain", "upstream exploded"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        host = Host.open(dir);
        methods = host.forEngine().methodsFor(new EngineServer(new EnginePaths(dir, dir.resolve("run")), 600));
    }

    @AfterEach
    void stop() {
        host.close();
        server.stop(0);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        return methods.find(method).orElseThrow().handle(RpcCall.local(method, params, new CancellationToken(), (m, p) -> { }));
    }

    private ObjectNode add(String name, String url) {
        return Json.object().put("name", name).put("url", url);
    }

    /** The coded error {@code method} answers; fails the test when it succeeds or fails some other way. */
    private RpcException refused(String method, ObjectNode params) throws Exception {
        try {
            JsonNode answer = call(method, params);
            throw new AssertionError(method + " " + params + " succeeded: " + answer);
        } catch (RpcException e) {
            return e;
        }
    }

    private String configText() throws IOException {
        Path f = dir.resolve("config.json");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void addedRemotesAreListedPersistedPrivatelyAndNeverShowTheirKey() throws Exception {
        assertThat(call("remotes.list", Json.object()).path("remotes")).isEmpty();
        JsonNode added = call("remotes.add", add("work", base + "/secure/v1").put("apiKey", KEY));
        assertThat(added.path("name").asText()).isEqualTo("work");
        assertThat(added.path("hasKey").asBoolean()).isTrue();
        assertThat(added.path("replaced").asBoolean()).isFalse();
        call("remotes.add", add("lab", base + "/v1"));

        JsonNode list = call("remotes.list", Json.object());
        assertThat(list.path("remotes")).extracting(r -> r.path("name").asText()).containsExactly("work", "lab");
        assertThat(list.path("remotes").get(0).path("url").asText()).isEqualTo(base + "/secure/v1");
        assertThat(list.path("remotes").get(1).path("hasKey").asBoolean()).isFalse();
        assertThat(list.toString() + added).doesNotContain(KEY);

        // What llmcp remote and the engine's providers read: config.json, owner-only.
        JsonNode stored = Json.MAPPER.readTree(dir.resolve("config.json").toFile()).path("remotes");
        assertThat(stored.path("work").path("url").asText()).isEqualTo(base + "/secure/v1");
        assertThat(stored.path("work").path("apiKey").asText()).isEqualTo(KEY);
        assertThat(RemoteSettings.list(dir)).containsOnlyKeys("work", "lab");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("config.json")))).isEqualTo("rw-------");
        }
        try (Host again = Host.open(dir)) {
            MethodRegistry fresh = again.forEngine().methodsFor(new EngineServer(new EnginePaths(dir, dir.resolve("run")), 600));
            JsonNode relisted = fresh.find("remotes.list").orElseThrow()
                    .handle(RpcCall.local("remotes.list", Json.object(), new CancellationToken(), (m, p) -> { }));
            assertThat(relisted.path("remotes")).hasSize(2);
        }
    }

    @Test
    void replacingARemoteWithoutItsKeyDropsTheKeySoAKeyNeverFollowsANewUrl() throws Exception {
        call("remotes.add", add("work", base + "/secure/v1").put("apiKey", KEY));
        JsonNode replaced = call("remotes.add", add("work", "https://elsewhere.example/v1"));
        assertThat(replaced.path("replaced").asBoolean()).isTrue();
        assertThat(replaced.path("hasKey").asBoolean()).isFalse();
        assertThat(configText()).doesNotContain(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", " x", "x ", "-x", ".x", "_x", "__proto__", "ä", "x\u0000", "a\nb", "a:b", "a%2Fb",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void hostileNamesAreRefusedNamingTheFieldAndNothingIsWritten(String name) throws Exception {
        for (String method : List.of("remotes.add", "remotes.remove", "remotes.test")) {
            RpcException e = refused(method, add(name, base + "/v1"));
            assertThat(e.code()).as(method).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data().path("field").asText()).isEqualTo("name");
        }
        assertThat(configText()).isEmpty();
    }

    @Test
    void missingOrMistypedParamsNameTheirField() throws Exception {
        assertThat(refused("remotes.add", Json.object().put("url", base + "/v1")).data().path("field").asText()).isEqualTo("name");
        assertThat(refused("remotes.add", Json.object().put("name", "x")).data().path("field").asText()).isEqualTo("url");
        ObjectNode numberKey = add("x", base + "/v1");
        numberKey.put("apiKey", 42);
        assertThat(refused("remotes.add", numberKey).data().path("field").asText()).isEqualTo("apiKey");
        ObjectNode numberName = Json.object().put("name", 7).put("url", base + "/v1");
        assertThat(refused("remotes.add", numberName).code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(configText()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.1.2.3/v1", "http://example.com/v1", "ftp://127.0.0.1/v1", "file:///etc/passwd",
        "javascript:alert(1)", "https://user:pw@llm.example/v1", "https://llm.example/v1?key=x", "https://llm.example/v1#x"})
    void urlsTheHostWillNotTalkToAreRefusedWithTheirCode(String url) throws Exception {
        RpcException e = refused("remotes.add", add("x", url));
        assertThat(e.code()).as(url).isIn(ErrorCodes.URL_REFUSED, ErrorCodes.INVALID_PARAMS);
        assertThat(e.data().path("field").asText()).isEqualTo("url");
        assertThat(configText()).isEmpty();
    }

    @Test
    void plainHttpIsRefusedBeyondThisMachineAndAcceptedOnLoopback() throws Exception {
        RpcException far = refused("remotes.add", add("far", "http://10.1.2.3/v1"));
        assertThat(far.code()).isEqualTo(ErrorCodes.URL_REFUSED);
        assertThat(far.getMessage()).contains("https");
        assertThat(refused("remotes.add", add("bad", "not a url")).code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(refused("remotes.add", add("long", "https://x.example/" + "a".repeat(3000))).code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        call("remotes.add", add("here", "http://127.0.0.1:8000/v1"));
        call("remotes.add", add("named", "http://localhost:8000/v1"));
        call("remotes.add", add("v6", "http://[::1]:8000/v1"));
        call("remotes.add", add("tls", "https://llm.example/v1"));
        assertThat(RemoteSettings.list(dir)).containsOnlyKeys("here", "named", "v6", "tls");
    }

    @Test
    void aKeyThatCouldNotTravelInAHeaderIsRefusedWithoutBeingEchoed() throws Exception {
        for (String key : List.of("sk-abc\r\nX-Evil: 1", "sk abc", "sk-é", "k".repeat(5000))) {
            RpcException e = refused("remotes.add", add("x", base + "/v1").put("apiKey", key));
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.data().path("field").asText()).isEqualTo("apiKey");
            assertThat(e.getMessage()).doesNotContain(key);
        }
        RpcException env = refused("remotes.add", add("x", base + "/v1").put("apiKeyEnv", "AWS_SECRET_ACCESS_KEY"));
        assertThat(env.data().path("field").asText()).isEqualTo("apiKeyEnv");
        assertThat(configText()).isEmpty();
        JsonNode emptyKey = call("remotes.add", add("x", base + "/v1").put("apiKey", ""));
        assertThat(emptyKey.path("hasKey").asBoolean()).isFalse();
    }

    @Test
    void removeForgetsTheRemoteAndItsKeyAndAnUnknownOneIsNotFound() throws Exception {
        call("remotes.add", add("work", base + "/secure/v1").put("apiKey", KEY));
        JsonNode removed = call("remotes.remove", Json.object().put("name", "work"));
        assertThat(removed.path("removed").asBoolean()).isTrue();
        assertThat(call("remotes.list", Json.object()).path("remotes")).isEmpty();
        assertThat(configText()).doesNotContain(KEY).doesNotContain("work");
        RpcException again = refused("remotes.remove", Json.object().put("name", "work"));
        assertThat(again.code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThat(again.data().path("field").asText()).isEqualTo("name");
    }

    @Test
    void testListsTheModelsAndModelsListShowsThemAsRemote() throws Exception {
        call("remotes.add", add("lab", base + "/v1"));
        JsonNode tested = call("remotes.test", Json.object().put("name", "lab"));
        assertThat(tested.path("models")).extracting(JsonNode::asText).containsExactly("lab/m1", "lab/m2");
        assertThat(tested.path("url").asText()).isEqualTo(base + "/v1");
        JsonNode listed = call("models.list", Json.object());
        assertThat(listed.path("models")).extracting(m -> m.path("modelId").asText()).containsExactly("lab/m1", "lab/m2");
        assertThat(listed.path("models")).allSatisfy(m -> assertThat(m.path("remote").asText()).isEqualTo("lab"));

        call("remotes.add", add("work", base + "/secure/v1").put("apiKey", KEY));
        assertThat(call("remotes.test", Json.object().put("name", "work")).path("models")).extracting(JsonNode::asText)
                .containsExactly("work/s1");
        call("remotes.remove", Json.object().put("name", "lab"));
        assertThat(call("models.list", Json.object()).path("models")).extracting(m -> m.path("modelId").asText())
                .containsExactly("work/s1");
    }

    @Test
    void testSaysWhatToFixForEachWayARemoteFails() throws Exception {
        call("remotes.add", add("nokey", base + "/secure/v1"));
        call("remotes.add", add("wrongkey", base + "/secure/v1").put("apiKey", "sk-wrong"));
        call("remotes.add", add("gone", "http://127.0.0.1:1/v1"));
        call("remotes.add", add("nov1", base));
        call("remotes.add", add("moved", base + "/moved/v1"));
        call("remotes.add", add("web", base + "/web/v1"));
        call("remotes.add", add("broken", base + "/broken/v1"));

        RpcException noKey = refused("remotes.test", Json.object().put("name", "nokey"));
        assertThat(noKey.code()).isEqualTo(ErrorCodes.HTTP_UNAUTHORIZED);
        assertThat(noKey.getMessage()).contains("needs an API key").contains("Settings → Remote servers").contains("llmcp remote add nokey");
        assertThat(noKey.data().path("remote").asText()).isEqualTo("nokey");
        RpcException wrong = refused("remotes.test", Json.object().put("name", "wrongkey"));
        assertThat(wrong.getMessage()).contains("key is wrong").doesNotContain("sk-wrong");
        RpcException gone = refused("remotes.test", Json.object().put("name", "gone"));
        assertThat(gone.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED);
        assertThat(gone.getMessage()).contains("unreachable").contains("http://127.0.0.1:1/v1");
        RpcException noV1 = refused("remotes.test", Json.object().put("name", "nov1"));
        assertThat(noV1.code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
        assertThat(noV1.getMessage()).contains("/v1");
        assertThat(noV1.data().path("field").asText()).isEqualTo("url");
        RpcException moved = refused("remotes.test", Json.object().put("name", "moved"));
        assertThat(moved.code()).isEqualTo(ErrorCodes.URL_REFUSED);
        assertThat(moved.getMessage()).contains("https://elsewhere.example/v1/models").contains("not followed");
        assertThat(refused("remotes.test", Json.object().put("name", "web")).code()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
        RpcException broken = refused("remotes.test", Json.object().put("name", "broken"));
        assertThat(broken.code()).isEqualTo(ErrorCodes.DOWNLOAD_FAILED);
        assertThat(broken.getMessage()).contains("500").contains("upstream exploded");
        RpcException unknown = refused("remotes.test", Json.object().put("name", "nobody"));
        assertThat(unknown.code()).isEqualTo(ErrorCodes.NOT_FOUND);
        assertThat(unknown.getMessage()).contains("Settings");

        // A down or misconfigured remote never breaks the list of the others.
        assertThat(call("models.list", Json.object()).path("models")).isEmpty();
    }

    @Test
    void onlyTheEngineOffersTheRemotesMethods() throws Exception {
        assertThat(host.methods().find("remotes.add")).isEmpty();
        assertThat(methods.methods()).contains("remotes.list", "remotes.add", "remotes.remove", "remotes.test");
        assertThatThrownBy(() -> call("remotes.test", Json.object())).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.data().path("field").asText()).isEqualTo("name"));
    }
}
