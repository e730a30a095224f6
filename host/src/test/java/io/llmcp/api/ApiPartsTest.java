package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.MethodRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API's small parts without a server: settings, keep_alive, vectors, the queue, the Host check, the adapter. */
class ApiPartsTest {
    @Test
    void keepAliveTakesSecondsAndGoDurations() {
        assertThat(Generations.keepAliveSeconds(null)).isNull();
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree(300))).isEqualTo(300);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree(0))).isZero();
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree(-1))).isEqualTo(-1);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree("5m"))).isEqualTo(300);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree("1h30m"))).isEqualTo(5400);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree("300ms"))).isEqualTo(1);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree("-1m"))).isEqualTo(-1);
        assertThat(Generations.keepAliveSeconds(Json.MAPPER.valueToTree("0"))).isZero();
        assertThatThrownBy(() -> Generations.keepAliveSeconds(Json.MAPPER.valueToTree("soon")))
                .isInstanceOf(HttpCall.Refusal.class).hasMessageContaining("not a duration");
    }

    @Test
    void settingsDefaultToLoopbackOn11435AndReadConfig() throws Exception {
        ApiSettings d = ApiSettings.fromConfig(Json.object(), Set.of());
        assertThat(d.enabled()).isFalse();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isEqualTo(11435);
        assertThat(d.loopbackOnly()).isTrue();
        assertThat(d.apiKey()).isNull();
        assertThat(d.maxBodyBytes()).isEqualTo(8L << 20);
        JsonNode cfg = Json.MAPPER.readTree("{\"enabled\":true,\"host\":\"0.0.0.0\",\"port\":9000,\"key\":\"k\","
                + "\"allowedOrigins\":[\"http://A.example/\"],\"hostNames\":[\"Box.lan\"]}");
        ApiSettings s = ApiSettings.fromConfig(cfg, ApiSettings.extensionOrigins(List.of("chrome-extension://abc/", "llmcp@llmcp.io")));
        assertThat(s.enabled()).isTrue();
        assertThat(s.loopbackOnly()).isFalse();
        assertThat(s.allowedOrigins()).containsExactlyInAnyOrder("chrome-extension://abc", "http://a.example");
        assertThat(s.hostNames()).containsExactly("box.lan");
        assertThat(s.withBind("localhost", 0).loopbackOnly()).isTrue();
    }

    @Test
    void theConfigSchemaKnowsTheApiSectionAndRemotes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"api\": {\"enabled\": true, \"port\": 9000, \"key\": \"k\","
                + " \"allowedOrigins\": [\"http://a.example\"]}, \"remotes\": {\"work\": {\"url\": \"https://x.example/v1\", \"apiKey\": \"s\"}}}");
        io.llmcp.app.HostConfig config = io.llmcp.app.HostConfig.read(dir);
        assertThat(config.problems()).isEmpty();
        assertThat(EngineApi.configured(config).port()).isEqualTo(9000);
        assertThat(RemoteSettings.configured(config)).containsOnlyKeys("work");
        assertThat(RemoteSettings.configured(config).get("work").apiKey()).isEqualTo("s");
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"api\": {\"port\": \"x\"}, \"remotes\": {\"bad\": 1}}");
        assertThat(io.llmcp.app.HostConfig.read(dir).problems()).hasSize(2);
    }

    @Test
    void beyondLoopbackWithoutAKeyNeverBinds() {
        ApiSettings open = ApiSettings.fromConfig(Json.object().put("host", "0.0.0.0").put("port", 0), Set.of());
        assertThatThrownBy(() -> ApiServer.start(open, new EngineCalls(new MethodRegistry())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("API key");
    }

    @Test
    void onlyLoopbackAndConfiguredHostNamesPassTheHostCheck() throws Exception {
        ApiSettings s = ApiSettings.fromConfig((com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree("{\"port\":0,\"hostNames\":[\"box.lan\"]}"), Set.of());
        try (ApiServer server = ApiServer.start(s, new EngineCalls(new MethodRegistry()))) {
            assertThat(server.hostAllowed("localhost:11435")).isTrue();
            assertThat(server.hostAllowed("127.0.0.1")).isTrue();
            assertThat(server.hostAllowed("[::1]:80")).isTrue();
            assertThat(server.hostAllowed("BOX.lan:8080")).isTrue();
            assertThat(server.hostAllowed("evil.example:11435")).isFalse();
            assertThat(server.hostAllowed("localhost.evil.example")).isFalse();
            assertThat(server.url()).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void vectorsShortenToUnitLengthAndEncodeAsLittleEndianFloats() {
        JsonNode v = Json.MAPPER.valueToTree(List.of(3.0, 4.0, 12.0));
        JsonNode two = Vectors.dimensions(v, Json.MAPPER.valueToTree(2));
        assertThat(two.get(0).asDouble()).isEqualTo(0.6);
        assertThat(two.get(1).asDouble()).isEqualTo(0.8);
        assertThatThrownBy(() -> Vectors.dimensions(v, Json.MAPPER.valueToTree(4))).isInstanceOf(HttpCall.Refusal.class);
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(Vectors.base64(v))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(List.of(b.getFloat(), b.getFloat(), b.getFloat())).containsExactly(3f, 4f, 12f);
    }

    @Test
    void theQueueAdmitsParallelPlusQueueAndRefusesTheRest() throws Exception {
        ModelQueue q = new ModelQueue(1, 0);
        ModelQueue.Turn a = q.enter("m");
        assertThatThrownBy(() -> q.enter("m")).isInstanceOf(HttpCall.Refusal.class)
                .satisfies(e -> assertThat(((HttpCall.Refusal) e).status).isEqualTo(503));
        try (ModelQueue.Turn other = q.enter("other")) {
            assertThat(other).as("another model has its own lane").isNotNull();
        }
        a.close();
        q.enter("m").close();
    }

    @Test
    void engineCallsDispatchesNotifiesAndCancelsLikeTheProtocol() throws Exception {
        MethodRegistry registry = new MethodRegistry();
        registry.register("echo.twice", call -> {
            call.notify("echo.part", Json.object().put("n", 1));
            call.token().throwIfCancelled();
            return Json.object().put("value", call.params().get("value").asText() + call.params().get("value").asText());
        });
        registry.register("spin", call -> {
            while (!call.token().isCancelled()) Thread.sleep(5);
            return Json.object().put("partial", true);
        });
        EngineCalls engine = new EngineCalls(registry);
        List<String> seen = new java.util.ArrayList<>();
        JsonNode r = engine.start("echo.twice", Json.object().put("value", "ab")).run((m, p) -> seen.add(m + p.path("requestId")));
        assertThat(r.path("value").asText()).isEqualTo("abab");
        assertThat(seen).singleElement().asString().startsWith("echo.part");
        assertThatThrownBy(() -> engine.call("no.such", null)).isInstanceOf(EngineCalls.Failure.class)
                .satisfies(e -> assertThat(((EngineCalls.Failure) e).code()).isEqualTo(-32601));
        EngineCalls.Call spin = engine.start("spin", null);
        new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                // test thread
            }
            spin.cancel();
        }).start();
        assertThatThrownBy(() -> spin.run((m, p) -> { })).isInstanceOf(EngineCalls.Failure.class).satisfies(e -> {
            EngineCalls.Failure f = (EngineCalls.Failure) e;
            assertThat(f.cancelled()).isTrue();
            assertThat(f.data().path("partial").asBoolean()).as("the partial result rides along").isTrue();
        });
    }

    @Test
    void aJsonSchemaFormatBecomesTheResponseConstraintAndFreeFormJsonModeIsRefused() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]}");
        assertThat(OllamaApi.responseConstraint(schema)).isEqualTo(schema);
        assertThat(OllamaApi.responseConstraint(null)).isNull();
        assertThat(OllamaApi.responseConstraint(Json.MAPPER.valueToTree(""))).isNull();
        assertThatThrownBy(() -> OllamaApi.responseConstraint(Json.MAPPER.valueToTree("json"))).hasMessageContaining("JSON Schema");
        assertThatThrownBy(() -> OllamaApi.responseConstraint(Json.MAPPER.valueToTree(3))).hasMessageContaining("'format'");

        ObjectNode openAi = Json.object().put("type", "json_schema");
        openAi.putObject("json_schema").put("name", "a").set("schema", schema);
        assertThat(OpenAiApi.responseConstraint(openAi)).isEqualTo(schema);
        assertThat(OpenAiApi.responseConstraint(Json.object().put("type", "text"))).isNull();
        assertThat(OpenAiApi.responseConstraint(Json.MAPPER.missingNode())).isNull();
        assertThatThrownBy(() -> OpenAiApi.responseConstraint(Json.object().put("type", "json_object"))).hasMessageContaining("json_schema");
        assertThatThrownBy(() -> OpenAiApi.responseConstraint(Json.object().put("type", "json_schema"))).hasMessageContaining("schema");
    }
}
