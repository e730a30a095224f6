package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.tooling.testmodel.ByteLevelBpe;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.inference.GenerationResult;
import io.llmcp.inference.NativeCacheForTests;
import io.llmcp.inference.TextTokenizer;
import io.llmcp.inference.TinyModelFixture;
import io.llmcp.inference.Generator;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcCall;
import io.llmcp.protocol.RpcException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateMethodsTest {
    static {
        NativeCacheForTests.use();
    }

    static final String REPLY = "Bonjour 🌍!";

    @TempDir
    Path tmp;

    /** The tiny model scripted to answer REPLY to the ChatML prompt; renderChat stands in for the template engine. */
    @Test
    void streamsTokenNotificationsAndReturnsTheProtocolResult() throws Exception {
        String chatPrompt = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
        long[] prompt;
        long[] reply;
        try (TextTokenizer t = TextTokenizer.fromBytes(TestModels.tokenizer().tokenizerJson(TestModels.tokenizer().size())
                .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            prompt = t.encode(chatPrompt);
            reply = LongStream.concat(LongStream.of(t.encode(REPLY)), LongStream.of(TestModels.tokenId(ByteLevelBpe.IM_END))).toArray();
        }
        try (TinyModelFixture f = TinyModelFixture.build(tmp, TestModels.tinyShape(), Variant.KV_CACHE,
                ModelOptions.scripted(prompt.length, reply))) {
            List<String> released = new ArrayList<>();
            GenerateMethods method = new GenerateMethods(id -> new GenerateMethods.Target() {
                public Generator generator() {
                    return f.generator();
                }

                public String renderChat(JsonNode messages) {
                    return "<|im_start|>" + messages.get(0).get("role").asText() + "\n"
                            + messages.get(0).get("content").asText() + "<|im_end|>\n<|im_start|>assistant\n";
                }

                public void close() {
                    released.add(id);
                }
            });
            List<ObjectNode> notes = new ArrayList<>();
            ObjectNode params = Json.object().put("modelId", "tiny");
            params.putArray("messages").addObject().put("role", "user").put("content", "hi");
            params.putObject("params").put("temperature", 0).put("maxNewTokens", 50);
            JsonNode result = method.handle(new RpcCall("generate", Json.MAPPER.valueToTree(7), params,
                    CancellationToken.none(), (m, body) -> {
                        assertThat(m).isEqualTo("generate.token");
                        notes.add(body);
                    }, "test"));

            assertThat(result.get("text").asText()).isEqualTo(REPLY);
            assertThat(result.get("finishReason").asText()).isEqualTo("eos");
            assertThat(result.get("promptTokens").asInt()).isEqualTo(prompt.length);
            assertThat(result.get("generatedTokens").asInt()).isEqualTo(reply.length);
            assertThat(result.get("provider").asText()).isEqualTo("CPU");
            assertThat(notes).hasSize(reply.length).allMatch(n -> n.get("requestId").asInt() == 7);
            StringBuilder streamed = new StringBuilder();
            notes.forEach(n -> streamed.append(n.get("text").asText()));
            assertThat(streamed.toString()).isEqualTo(REPLY);
            assertThat(released).containsExactly("tiny");

            ObjectNode raw = Json.object().put("modelId", "tiny").put("prompt", chatPrompt);
            raw.putObject("params").put("maxNewTokens", 3).put("temperature", 0);
            JsonNode r2 = method.handle(RpcCall.local("generate", raw, CancellationToken.none(), (m, b) -> { }));
            assertThat(r2.get("finishReason").asText()).isEqualTo("length");
            assertThat(REPLY).startsWith(r2.get("text").asText());
        }
    }

    @Test
    void badParamsNameTheField() {
        GenerateMethods method = new GenerateMethods(id -> {
            throw new AssertionError("must not load a model for bad params");
        });
        assertField(method, Json.object().put("prompt", "x"), "modelId");
        assertField(method, Json.object().put("modelId", "m"), "prompt");
        ObjectNode both = Json.object().put("modelId", "m").put("prompt", "x");
        both.putArray("messages");
        assertField(method, both, "prompt");
        ObjectNode temp = Json.object().put("modelId", "m").put("prompt", "x");
        temp.putObject("params").put("temperature", -1);
        assertField(method, temp, "params.temperature");
        ObjectNode stop = Json.object().put("modelId", "m").put("prompt", "x");
        stop.putObject("params").put("stop", 5);
        assertField(method, stop, "params.stop");
        ObjectNode topK = Json.object().put("modelId", "m").put("prompt", "x");
        topK.putObject("params").put("topK", "many");
        assertField(method, topK, "params.topK");
    }

    private static void assertField(GenerateMethods method, ObjectNode params, String field) {
        assertThatThrownBy(() -> method.handle(RpcCall.local("generate", params, CancellationToken.none(), (m, b) -> { })))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
                    assertThat(e.data().get("field").asText()).isEqualTo(field);
                });
    }
}
