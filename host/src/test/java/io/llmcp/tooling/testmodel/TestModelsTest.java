package io.llmcp.tooling.testmodel;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.inference.TextTokenizer;
import io.llmcp.protocol.Json;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestModelsTest {
    static {
        io.llmcp.inference.NativeCacheForTests.use();
    }

    @TempDir
    Path tmp;

    static OrtSession open(Path modelDir) throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        o.addConfigEntry("session.inter_op.allow_spinning", "0");
        o.setIntraOpNumThreads(1);
        return OrtEnvironment.getEnvironment().createSession(modelDir.resolve(TestModels.MODEL_FILE).toString(), o);
    }

    @Test
    void sameSeedWritesTheSameBytesAndAnotherSeedDiffers() throws Exception {
        LlamaShape shape = TestModels.tinyShape();
        Path a = TestModels.writeModel(tmp.resolve("a"), shape, Variant.KV_CACHE);
        Path b = TestModels.writeModel(tmp.resolve("b"), shape, Variant.KV_CACHE);
        LlamaShape other = shape.withSeed(shape.seed() + 1);
        Path c = TestModels.writeModel(tmp.resolve("c"), other, Variant.KV_CACHE);
        for (String f : new String[]{TestModels.MODEL_FILE, "tokenizer.json", "config.json", "tokenizer_config.json",
                "generation_config.json"}) {
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
        }
        assertThat(Files.readAllBytes(a.resolve(TestModels.MODEL_FILE)))
                .isNotEqualTo(Files.readAllBytes(c.resolve(TestModels.MODEL_FILE)));
        assertThat(Files.size(a.resolve(TestModels.MODEL_FILE))).isGreaterThan(shape.parameters() * 4 - 1024 * 1024);
    }

    @Test
    void kvCacheModelDeclaresOptimumNamesAndRuns() throws Exception {
        Path dir = TestModels.writeTinyChatModel(tmp, Variant.KV_CACHE);
        JsonNode config = Json.MAPPER.readTree(dir.resolve("config.json").toFile());
        int layers = config.get("num_hidden_layers").asInt();
        int kvHeads = config.get("num_key_value_heads").asInt();
        int headDim = config.get("head_dim").asInt();
        int vocab = config.get("vocab_size").asInt();
        try (OrtSession s = open(dir)) {
            Map<String, NodeInfo> inputs = s.getInputInfo();
            assertThat(inputs).containsKeys("input_ids", "attention_mask", "position_ids",
                    "past_key_values.0.key", "past_key_values." + (layers - 1) + ".value");
            assertThat(s.getOutputInfo()).containsKeys("logits", "present.0.key", "present." + (layers - 1) + ".value");
            long[] pastShape = ((TensorInfo) inputs.get("past_key_values.0.key").getInfo()).getShape();
            assertThat(pastShape[1]).isEqualTo(kvHeads);
            assertThat(pastShape[3]).isEqualTo(headDim);

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, OnnxTensor> feed = new HashMap<>();
            feed.put("input_ids", OnnxTensor.createTensor(env, new long[][]{{5, 6, 7}}));
            feed.put("attention_mask", OnnxTensor.createTensor(env, new long[][]{{1, 1, 1}}));
            feed.put("position_ids", OnnxTensor.createTensor(env, new long[][]{{0, 1, 2}}));
            for (int i = 0; i < layers; i++) {
                for (String kv : new String[]{"key", "value"}) {
                    feed.put("past_key_values." + i + "." + kv, OnnxTensor.createTensor(env,
                            FloatBuffer.allocate(0), new long[]{1, kvHeads, 0, headDim}));
                }
            }
            try (OrtSession.Result r = s.run(feed)) {
                OnnxTensor logits = (OnnxTensor) r.get("logits").get();
                assertThat(logits.getInfo().getShape()).containsExactly(1, 3, vocab);
                OnnxTensor present = (OnnxTensor) r.get("present.0.key").get();
                assertThat(present.getInfo().getShape()).containsExactly(1, kvHeads, 3, headDim);
                float[] row = new float[vocab];
                logits.getFloatBuffer().get(row);
                for (float f : row) assertThat(Float.isFinite(f)).isTrue();
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void tiedEmbeddingsReuseTheEmbeddingAsLmHead() throws Exception {
        LlamaShape untied = TestModels.tinyShape();
        LlamaShape tied = new LlamaShape(untied.layers(), untied.hidden(), untied.heads(), untied.kvHeads(),
                untied.intermediate(), untied.vocab(), untied.maxPositions(), untied.seed(), true);
        Path a = TestModels.writeModel(tmp.resolve("untied"), untied, Variant.NO_CACHE);
        Path b = TestModels.writeModel(tmp.resolve("tied"), tied, Variant.NO_CACHE);
        long saved = Files.size(a.resolve(TestModels.MODEL_FILE)) - Files.size(b.resolve(TestModels.MODEL_FILE));
        assertThat(saved).isBetween(untied.vocab() * untied.hidden() * 4L - 4096, untied.vocab() * untied.hidden() * 4L + 4096);
        assertThat(Json.MAPPER.readTree(b.resolve("config.json").toFile()).get("tie_word_embeddings").asBoolean()).isTrue();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = open(b);
             OnnxTensor ids = OnnxTensor.createTensor(env, new long[][]{{5, 6, 7, 8}});
             OnnxTensor mask = OnnxTensor.createTensor(env, new long[][]{{1, 1, 1, 1}});
             OrtSession.Result r = s.run(Map.of("input_ids", ids, "attention_mask", mask))) {
            assertThat(((OnnxTensor) r.get("logits").get()).getInfo().getShape()).containsExactly(1, 4, tied.vocab());
        }
    }

    @Test
    void otherVariantsLoad() throws Exception {
        try (OrtSession s = open(TestModels.writeTinyChatModel(tmp.resolve("m"), Variant.MERGED_USE_CACHE_BRANCH))) {
            assertThat(s.getInputInfo()).containsKey("use_cache_branch");
        }
        try (OrtSession s = open(TestModels.writeTinyChatModel(tmp.resolve("n"), Variant.NO_CACHE))) {
            assertThat(s.getInputInfo().keySet()).containsExactlyInAnyOrder("input_ids", "attention_mask");
            assertThat(s.getOutputInfo().keySet()).containsExactly("logits");
        }
    }

    @Test
    void tokenizerRoundTripsUnicodeAndUsesMerges() throws Exception {
        Path dir = TestModels.writeTinyChatModel(tmp, Variant.NO_CACHE);
        try (TextTokenizer t = TextTokenizer.fromFile(dir.resolve("tokenizer.json"))) {
            String text = "Hello world! 你好，世界 🎉🚀 done";
            long[] ids = t.encode(text);
            assertThat(ids.length).isLessThan(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(t.decode(ids)).isEqualTo(text);
            long[] chat = t.encode("<|im_start|>user\nhi<|im_end|>");
            assertThat(chat[0]).isEqualTo(TestModels.tokenId(ByteLevelBpe.IM_START));
            assertThat(chat[chat.length - 1]).isEqualTo(TestModels.tokenId(ByteLevelBpe.IM_END));
        }
    }
}
