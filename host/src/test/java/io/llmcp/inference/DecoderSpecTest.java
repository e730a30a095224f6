package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderSpecTest {
    @TempDir
    static Path tmp;
    static TinyModelFixture kv;
    static ObjectNode config;

    @BeforeAll
    static void build() throws Exception {
        kv = TinyModelFixture.build(tmp.resolve("kv"), Variant.KV_CACHE);
        config = (ObjectNode) Json.MAPPER.readTree(kv.dir.resolve("config.json").toFile());
    }

    @AfterAll
    static void close() throws Exception {
        kv.close();
    }

    @Test
    void headDimAndKvHeadsFallBackLikeTransformers() {
        ObjectNode c = config.deepCopy();
        c.remove("head_dim");
        DecoderSpec s = DecoderSpec.from(c, null, kv.session);
        assertThat(s.headDim()).isEqualTo(kv.spec.headDim());
        assertThat(s.eosIds()).containsExactly(2L);
        assertThat(s.defaults().temperature()).isNull();
    }

    @Test
    void nestedTextConfigIsRead() {
        ObjectNode outer = Json.object().put("model_type", "some-vlm");
        outer.set("text_config", config.deepCopy());
        assertThat(DecoderSpec.from(outer, null, kv.session).layers()).isEqualTo(kv.spec.layers());
    }

    @Test
    void generationConfigGivesEosListAndSamplingDefaults() {
        JsonNode gen = Json.object().put("do_sample", true).put("temperature", 0.6).put("top_p", 0.9)
                .put("top_k", 20).put("eos_token_id", 7);
        DecoderSpec s = DecoderSpec.from(config, gen, kv.session);
        assertThat(s.eosIds()).containsExactlyInAnyOrder(2L, 7L);
        SamplingParams resolved = SamplingParams.none().orDefaults(s.defaults());
        assertThat(resolved.temperature()).isEqualTo(0.6);
        assertThat(resolved.topK()).isEqualTo(20);
        assertThat(resolved.topP()).isEqualTo(0.9);
        assertThat(resolved.maxNewTokens()).isEqualTo(SamplingParams.DEFAULT_MAX_NEW_TOKENS);
        SamplingParams greedyWins = SamplingParams.greedy(5).orDefaults(s.defaults());
        assertThat(greedyWins.temperature()).isZero();
    }

    @Test
    void missingOrBrokenConfigIsModelInvalid() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> DecoderSpec.load(empty, kv.session))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)))
                .hasMessageContaining("config.json");
        Files.writeString(empty.resolve("config.json"), "{not json");
        assertThatThrownBy(() -> DecoderSpec.load(empty, kv.session))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)));
        ObjectNode c = config.deepCopy();
        c.remove("num_attention_heads");
        assertThatThrownBy(() -> DecoderSpec.from(c, null, kv.session)).hasMessageContaining("num_attention_heads");
    }
}
