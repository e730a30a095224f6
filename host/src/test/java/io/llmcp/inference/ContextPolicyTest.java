package io.llmcp.inference;

import io.llmcp.methods.GenerateMethods;
import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import io.llmcp.tooling.testmodel.Architecture;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code contextPolicy}: a conversation longer than the context drops its oldest turns, or is refused. */
class ContextPolicyTest {
    static {
        NativeCacheForTests.use();
    }

    @TempDir
    static Path tmp;
    static ChatModel gemma;

    @BeforeAll
    static void load() throws Exception {
        LlamaShape t = TestModels.tinyShape(Architecture.GEMMA3_TEXT);
        LlamaShape shape = new LlamaShape(t.layers(), t.hidden(), t.heads(), t.kvHeads(), t.intermediate(), t.vocab(),
                2048, t.seed(), t.tiedEmbeddings());
        Path dir = TestModels.writeModel(tmp.resolve("gemma"), shape, Variant.KV_CACHE,
                ModelOptions.none().with(Architecture.GEMMA3_TEXT));
        gemma = ChatModel.load(new SessionFactory(new OrtRuntime(new OrtRuntime.Settings("cpu", 1, 1, 0))),
                new DirectoryModelSource("gemma", dir), "onnx/model.onnx");
    }

    @AfterAll
    static void close() {
        gemma.close();
    }

    private static GenerateMethods method() {
        return new GenerateMethods(id -> new GenerateMethods.Target() {
            public Generator generator() {
                return gemma.generator();
            }

            public String renderChat(JsonNode messages) {
                return gemma.renderChat(messages, Map.of());
            }

            public String renderChat(JsonNode messages, Map<String, Object> vars) {
                return gemma.renderChat(messages, vars);
            }
        });
    }

    /** A system prompt and 41 alternating turns of about 53 tokens each: about 2,200 tokens. */
    private static ArrayNode longConversation() {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", "You are a helpful assistant.");
        String turn = "The quick brown fox jumps over the lazy dog. Hello world! How are you today? ";
        for (int i = 0; i < 41; i++) {
            messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", i + ": " + turn);
        }
        return messages;
    }

    private static JsonNode generate(ObjectNode params) {
        return method().handle(RpcCall.local("generate", params, CancellationToken.none(), (m, b) -> { }));
    }

    @Test
    void aConversationLongerThanTheContextDropsItsOldestTurnsAndSaysHowMany() {
        ArrayNode messages = longConversation();
        int full = gemma.generator().tokenizer().encode(gemma.renderChat(messages, Map.of())).length;
        assertThat(full).isBetween(2100, 2600);

        ObjectNode params = Json.object().put("modelId", "gemma");
        params.set("messages", messages);
        params.putObject("params").put("temperature", 0).put("maxNewTokens", 16);
        JsonNode r = generate(params);

        int dropped = r.get("droppedMessages").asInt();
        assertThat(dropped).isPositive().isEven(); // whole user/assistant pairs: Gemma's template needs alternation
        assertThat(r.get("contextTokens").asInt()).isEqualTo(2048);
        assertThat(r.get("promptTokens").asInt()).isLessThanOrEqualTo(2048 - 16).isLessThan(full);
        assertThat(r.get("generatedTokens").asInt()).isPositive();

        // What ran is the system prompt plus the newest turns, ending with the last user message.
        List<JsonNode> kept = new ArrayList<>();
        kept.add(messages.get(0));
        for (int i = 1 + dropped; i < messages.size(); i++) kept.add(messages.get(i));
        ArrayNode keptArray = Json.MAPPER.createArrayNode().addAll(kept);
        assertThat(gemma.generator().tokenizer().encode(gemma.renderChat(keptArray, Map.of())).length)
                .isEqualTo(r.get("promptTokens").asInt());
    }

    @Test
    void contextPolicyErrorKeepsTheInvalidParamsError() {
        ObjectNode params = Json.object().put("modelId", "gemma").put("contextPolicy", "error");
        params.set("messages", longConversation());
        assertThatThrownBy(() -> generate(params)).satisfies(coded(e -> {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.getMessage()).contains("2048");
        }));
        ObjectNode bad = Json.object().put("modelId", "gemma").put("contextPolicy", "sometimes");
        bad.set("messages", longConversation());
        assertThatThrownBy(() -> generate(bad)).satisfies(coded(e -> assertThat(e.data().get("field").asText()).isEqualTo("contextPolicy")));
    }

    @Test
    void numCtxShrinksTheContext() {
        ObjectNode params = Json.object().put("modelId", "gemma");
        params.set("messages", longConversation());
        params.putObject("params").put("temperature", 0).put("maxNewTokens", 8).put("numCtx", 512);
        JsonNode r = generate(params);
        assertThat(r.get("contextTokens").asInt()).isEqualTo(512);
        assertThat(r.get("promptTokens").asInt()).isLessThanOrEqualTo(512 - 8);
        assertThat(r.get("droppedMessages").asInt()).isGreaterThan(20);
    }

    @Test
    void theLastUserMessageAloneTooLongIsAnError() {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "user").put("content", "Hello world! ".repeat(800));
        ObjectNode params = Json.object().put("modelId", "gemma");
        params.set("messages", messages);
        params.putObject("params").put("numCtx", 256);
        assertThatThrownBy(() -> generate(params)).satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS)));
    }

    @Test
    void fittingKeepsLeadingSystemMessagesAndStartsWithAUserTurn() {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", "s");
        messages.addObject().put("role", "user").put("content", "u1");
        messages.addObject().put("role", "assistant").put("content", "a1");
        messages.addObject().put("role", "tool").put("content", "t1");
        messages.addObject().put("role", "user").put("content", "u2");
        // Each message costs 10 "tokens"; the context holds 3 messages plus the reserve.
        var fitted = ContextWindow.fit(messages, m -> m.toString(), text -> new long[10 * (text.split("\"role\"").length - 1)],
                40, 5, ContextWindow.Policy.DROP_OLDEST);
        assertThat(fitted.droppedMessages()).isEqualTo(3);
        assertThat(fitted.ids()).hasSize(20);
    }
}
