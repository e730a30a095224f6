package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.tooling.testmodel.Architecture;
import io.llmcp.tooling.testmodel.Dtype;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each family and weight format loads, is fed what its graph declares, and follows its tokenizer's rules. */
class ArchitecturesTest {
    static {
        NativeCacheForTests.use();
    }

    private static final SessionFactory FACTORY = new SessionFactory(new OrtRuntime(new OrtRuntime.Settings("cpu", 1, 1, 0)));

    @TempDir
    Path tmp;

    private ChatModel load(String name, Architecture a, Dtype d, ModelOptions extra) throws Exception {
        Path dir = TestModels.writeModel(tmp.resolve(name), TestModels.tinyShape(a), Variant.KV_CACHE, extra.with(a).with(d));
        return ChatModel.load(FACTORY, new DirectoryModelSource(name, dir), d.modelFile);
    }

    private static long[] greedy(ChatModel m, String prompt) {
        return m.generator().generate(m.generator().tokenizer().encodePrompt(prompt), SamplingParams.greedy(16),
                CancellationToken.none(), TokenListener.NONE).tokenIds();
    }

    @Test
    void everyFamilyRunsInEveryDtype() throws Exception {
        for (Architecture a : Architecture.values()) {
            for (Dtype d : Dtype.values()) {
                try (ChatModel m = load(a.modelType + d.id, a, d, ModelOptions.none())) {
                    DecoderSpec spec = m.generator().spec();
                    assertThat(spec.modelType()).isEqualTo(a.modelType);
                    assertThat(spec.kvType()).isEqualTo(d == Dtype.FP16 || d == Dtype.Q4F16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT);
                    assertThat(spec.positionStart()).isEqualTo(a == Architecture.GEMMA3_TEXT ? 1 : 0);
                    assertThat(greedy(m, "The quick brown fox")).isNotEmpty();
                }
            }
        }
    }

    @Test
    void theGenaiBuilderGroupQueryAttentionLayoutGivesTheSameTokensAsTheDecomposedGraph() throws Exception {
        Path dir = TestModels.writeModel(tmp.resolve("gqa"), TestModels.tinyShape(Architecture.QWEN2),
                Variant.GROUP_QUERY_ATTENTION, ModelOptions.none().with(Architecture.QWEN2));
        try (ChatModel gqa = ChatModel.load(FACTORY, new DirectoryModelSource("gqa", dir), "onnx/model.onnx");
             ChatModel plain = load("plain", Architecture.QWEN2, Dtype.FP32, ModelOptions.none())) {
            assertThat(gqa.generator().spec().hasPositionIds()).isFalse();
            assertThat(greedy(gqa, "Hello world! How are you")).isEqualTo(greedy(plain, "Hello world! How are you"));
        }
    }

    @Test
    void aHybridModelsConvStateStartsFromItsDeclaredShapeAndIsFedBack() throws Exception {
        try (ChatModel hybrid = load("hybrid", Architecture.LLAMA, Dtype.FP32, ModelOptions.none().withExtraInput("past_conv.0"));
             ChatModel plain = load("plain", Architecture.LLAMA, Dtype.FP32, ModelOptions.none())) {
            DecoderSpec.CacheInput conv = hybrid.generator().spec().cacheInputs().stream()
                    .filter(c -> c.input().equals("past_conv.0")).findFirst().orElseThrow();
            assertThat(conv.output()).isEqualTo("present_conv.0");
            assertThat(conv.initialShape()).containsExactly(1, 64, 3);
            long[] a = greedy(hybrid, "Hello world! How are you");
            assertThat(a).isEqualTo(greedy(hybrid, "Hello world! How are you")).isNotEqualTo(greedy(plain, "Hello world! How are you"));
        }
    }

    @Test
    void aNamedTemplateListUsesToolUseWhenToolsArePassed() throws Exception {
        try (ChatModel smol = load("smol", Architecture.SMOLLM3, Dtype.FP32, ModelOptions.none())) {
            assertThat(smol.renderChat(messages("hi"), Map.of())).startsWith("<|im_start|>user\nhi");
            var tools = java.util.List.of(Map.of("name", "clock"));
            assertThat(smol.renderChat(messages("hi"), Map.of("tools", tools))).startsWith("<|im_start|>system\nTools: ");
        }
    }

    @Test
    void gemmaPromptsStartWithBosBecauseItsTokenizerConfigSaysAddBosToken() throws Exception {
        try (ChatModel gemma = load("gemma", Architecture.GEMMA3_TEXT, Dtype.FP32, ModelOptions.none());
             ChatModel qwen = load("qwen", Architecture.QWEN3, Dtype.FP32, ModelOptions.none())) {
            TextTokenizer t = gemma.generator().tokenizer();
            assertThat(t.specialTokensForPrompts()).isTrue();
            long bos = t.encode("<bos>")[0];
            assertThat(t.encodePrompt("Hello")[0]).isEqualTo(bos);
            assertThat(t.encodePrompt("Hello")).hasSize(t.encode("Hello").length + 1);
            // A chat prompt carries the template's own <bos> only once.
            String chat = gemma.renderChat(messages("Hello"), Map.of());
            assertThat(chat).startsWith("<bos><start_of_turn>user\n");
            assertThat(qwen.generator().tokenizer().specialTokensForPrompts()).isFalse();
            assertThat(qwen.generator().tokenizer().encodePrompt("Hello")).isEqualTo(qwen.generator().tokenizer().encode("Hello"));
        }
    }

    @Test
    void enableThinkingReachesTheQwen3TemplateFromChatTemplateJinja() throws Exception {
        try (ChatModel qwen = load("qwen", Architecture.QWEN3, Dtype.FP32, ModelOptions.none())) {
            assertThat(qwen.renderChat(messages("hi"), Map.of("enable_thinking", false)))
                    .endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n");
            assertThat(qwen.renderChat(messages("hi"), Map.of())).endsWith("<|im_start|>assistant\n");
        }
    }

    @Test
    void numLogitsToKeepCachePositionAndTokenTypeIdsAreFedAndChangeNothing() throws Exception {
        try (ChatModel plain = load("plain", Architecture.LLAMA, Dtype.FP32, ModelOptions.none());
             ChatModel declared = load("declared", Architecture.LLAMA, Dtype.FP32, ModelOptions.none().withNumLogitsToKeep()
                     .withExtraInput("token_type_ids").withExtraInput("cache_position"))) {
            DecoderSpec spec = declared.generator().spec();
            assertThat(spec.logitsToKeepInput()).isEqualTo("num_logits_to_keep");
            assertThat(spec.hasTokenTypeIds()).isTrue();
            assertThat(spec.hasCachePosition()).isTrue();
            assertThat(greedy(declared, "Hello world! How are you")).isEqualTo(greedy(plain, "Hello world! How are you"));
        }
    }

    @Test
    void anUnknownInputNamesItselfAndTheModelType() throws Exception {
        assertThatThrownBy(() -> load("vision", Architecture.GEMMA3_TEXT, Dtype.FP32, ModelOptions.none().withExtraInput("pixel_values")))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("pixel_values").contains("model_type gemma3_text");
                    assertThat(e.data().get("names").get(0).asText()).isEqualTo("pixel_values");
                }));
    }

    @Test
    void encoderDecoderConfigsAreRefusedWithTheirModelType() throws Exception {
        Path dir = TestModels.writeModel(tmp.resolve("t5"), TestModels.tinyShape(), Variant.KV_CACHE, ModelOptions.none());
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(dir.resolve("config.json").toFile());
        config.put("model_type", "t5").put("is_encoder_decoder", true);
        Files.writeString(dir.resolve("config.json"), config.toString());
        assertThatThrownBy(() -> ChatModel.load(FACTORY, new DirectoryModelSource("t5", dir), "onnx/model.onnx"))
                .hasMessageContaining("encoder-decoder").hasMessageContaining("t5");
    }

    @Test
    void chatTemplateJsonAndNamedListsAreRead() throws Exception {
        Path dir = TestModels.writeModel(tmp.resolve("json"), TestModels.tinyShape(), Variant.KV_CACHE, ModelOptions.none());
        ObjectNode tc = (ObjectNode) Json.MAPPER.readTree(dir.resolve("tokenizer_config.json").toFile());
        tc.remove("chat_template");
        Files.writeString(dir.resolve("tokenizer_config.json"), tc.toString());
        ObjectNode file = Json.object();
        ArrayNode list = file.putArray("chat_template");
        list.addObject().put("name", "tool_use").put("template", "TOOLS{{ messages[0].content }}");
        list.addObject().put("name", "default").put("template", "DEFAULT{{ messages[0].content }}");
        Files.writeString(dir.resolve("chat_template.json"), file.toString());
        try (ChatModel m = ChatModel.load(FACTORY, new DirectoryModelSource("json", dir), "onnx/model.onnx")) {
            assertThat(m.renderChat(messages("x"), Map.of())).isEqualTo("DEFAULTx");
        }
    }

    private static ArrayNode messages(String user) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        a.addObject().put("role", "user").put("content", user);
        return a;
    }
}
