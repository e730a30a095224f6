package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.inference.GenerationResult.FinishReason;
import io.llmcp.tooling.testmodel.ByteLevelBpe;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.ErrorCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    static final String PROMPT = "<|im_start|>user\nSay hello to the world.<|im_end|>\n<|im_start|>assistant\n";
    static final String REPLY = "Hello 世界! 🎉 Ça va? 日本語 ok";

    @TempDir
    static Path tmp;
    static TinyModelFixture kv;
    static TinyModelFixture merged;
    static TinyModelFixture noCache;
    static TinyModelFixture scripted;
    static long[] prompt;

    @BeforeAll
    static void build() throws Exception {
        kv = TinyModelFixture.build(tmp.resolve("kv"), Variant.KV_CACHE);
        merged = TinyModelFixture.build(tmp.resolve("merged"), Variant.MERGED_USE_CACHE_BRANCH);
        noCache = TinyModelFixture.build(tmp.resolve("nocache"), Variant.NO_CACHE);
        prompt = kv.tokenizer.encode(PROMPT);
        long[] reply = LongStream.concat(LongStream.of(kv.tokenizer.encode(REPLY)),
                LongStream.of(TestModels.tokenId(ByteLevelBpe.IM_END))).toArray();
        scripted = TinyModelFixture.build(tmp.resolve("scripted"), TestModels.tinyShape(), Variant.KV_CACHE,
                ModelOptions.scripted(prompt.length, reply));
    }

    @AfterAll
    static void close() throws Exception {
        for (TinyModelFixture f : new TinyModelFixture[]{kv, merged, noCache, scripted}) if (f != null) f.close();
    }

    @Test
    void specComesFromConfigAndSession() {
        assertThat(kv.spec.layers()).isEqualTo(TestModels.tinyShape().layers());
        assertThat(kv.spec.eosIds()).containsExactlyInAnyOrder(
                (long) TestModels.tokenId(ByteLevelBpe.IM_END), (long) TestModels.tokenId(ByteLevelBpe.END_OF_TEXT));
        assertThat(kv.spec.hasKvCache()).isTrue();
        assertThat(kv.spec.hasPositionIds()).isTrue();
        assertThat(merged.spec.hasUseCacheBranch()).isTrue();
        assertThat(noCache.spec.hasKvCache()).isFalse();
        assertThat(noCache.spec.hasPositionIds()).isFalse();
    }

    @Test
    void kvCacheGivesExactlyTheTokensOfFullRecomputeAndOfTheMergedExport() {
        SamplingParams greedy = SamplingParams.greedy(48);
        GenerationResult withCache = kv.generatorWithoutEos().generate(prompt, greedy, CancellationToken.none(), TokenListener.NONE);
        GenerationResult recompute = noCache.generatorWithoutEos().generate(prompt, greedy, CancellationToken.none(), TokenListener.NONE);
        GenerationResult mergedRun = merged.generatorWithoutEos().generate(prompt, greedy, CancellationToken.none(), TokenListener.NONE);
        assertThat(withCache.tokenIds()).hasSize(48);
        assertThat(LongStream.of(withCache.tokenIds()).distinct().count()).as("a real sequence, not one token").isGreaterThan(1);
        assertThat(recompute.tokenIds()).containsExactly(withCache.tokenIds());
        assertThat(mergedRun.tokenIds()).containsExactly(withCache.tokenIds());
        assertThat(withCache.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(withCache.promptTokens()).isEqualTo(prompt.length);
        assertThat(withCache.provider()).isEqualTo("CPU");
        assertThat(withCache.tokensPerSecond()).isPositive();
    }

    @Test
    void sameSeedSameOutputAndAnotherSeedDiffers() {
        SamplingParams p = new SamplingParams(40, 1.0, 0, 1.0, 1.0, 7L, List.of());
        Generator g = kv.generatorWithoutEos();
        long[] a = g.generate(prompt, p, CancellationToken.none(), TokenListener.NONE).tokenIds();
        long[] b = g.generate(prompt, p, CancellationToken.none(), TokenListener.NONE).tokenIds();
        long[] c = g.generate(prompt, p.withSeed(8L), CancellationToken.none(), TokenListener.NONE).tokenIds();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
        long[] filtered = g.generate(prompt, new SamplingParams(40, 0.8, 5, 0.9, 1.3, 7L, List.of()),
                CancellationToken.none(), TokenListener.NONE).tokenIds();
        assertThat(filtered).hasSize(40);
    }

    @Test
    void eosEndsGenerationAndUnicodeSurvivesStreaming() {
        List<String> deltas = new ArrayList<>();
        GenerationResult r = scripted.generator().generate(prompt, SamplingParams.greedy(100), CancellationToken.none(),
                (text, id) -> deltas.add(text));
        assertThat(r.finishReason()).isEqualTo(FinishReason.EOS);
        assertThat(r.text()).isEqualTo(REPLY);
        assertThat(String.join("", deltas)).isEqualTo(REPLY);
        assertThat(deltas).noneMatch(d -> d.indexOf('\uFFFD') >= 0);
        assertThat(deltas).hasSize(r.generatedTokens());
        assertThat(r.tokenIds()[r.tokenIds().length - 1]).isEqualTo(TestModels.tokenId(ByteLevelBpe.IM_END));
        assertThat(r.timeToFirstTokenMs()).isPositive();
    }

    @Test
    void stopStringSpanningTokensCutsTheTextAndIsNeverStreamed() {
        for (String stop : new String[]{"世界", "lo 世", "ok", "🎉"}) {
            List<String> deltas = new ArrayList<>();
            GenerationResult r = scripted.generator().generate(prompt,
                    SamplingParams.greedy(100).withStop(List.of("never", stop)), CancellationToken.none(),
                    (text, id) -> deltas.add(text));
            String expected = REPLY.substring(0, REPLY.indexOf(stop));
            assertThat(r.finishReason()).as(stop).isEqualTo(FinishReason.STOP);
            assertThat(r.text()).as(stop).isEqualTo(expected);
            assertThat(String.join("", deltas)).as(stop).isEqualTo(expected);
            assertThat(r.generatedTokens()).isLessThan(kv.tokenizer.encode(REPLY).length + 1);
        }
    }

    @Test
    void maxNewTokensEndsWithLength() {
        GenerationResult r = scripted.generator().generate(prompt, SamplingParams.greedy(3), CancellationToken.none(),
                TokenListener.NONE);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.generatedTokens()).isEqualTo(3);
        assertThat(REPLY).startsWith(r.text());
    }

    @Test
    void contextLimitEndsWithContext() {
        int max = kv.spec.maxPositions();
        long[] longPrompt = LongStream.range(0, max - 4).map(i -> 40 + i % 50).toArray();
        GenerationResult r = kv.generatorWithoutEos().generate(longPrompt, SamplingParams.greedy(100),
                CancellationToken.none(), TokenListener.NONE);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CONTEXT);
        assertThat(r.generatedTokens()).isEqualTo(4);
        assertThatThrownBy(() -> kv.generator().generate(LongStream.range(0, max).map(i -> 40).toArray(),
                SamplingParams.greedy(1), CancellationToken.none(), TokenListener.NONE))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS)))
                .hasMessageContaining("prompt");
    }

    @Test
    void cancelStopsWithinOneStep() {
        CancellationToken token = new CancellationToken();
        List<Long> seen = new ArrayList<>();
        GenerationResult r = kv.generatorWithoutEos().generate(prompt, SamplingParams.greedy(100), token, (text, id) -> {
            seen.add(id);
            if (seen.size() == 3) token.cancel();
        });
        assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.generatedTokens()).isEqualTo(3);
        assertThat(seen).hasSize(3);
    }

    @Test
    void stringPromptIsEncodedWithTheModelTokenizer() {
        GenerationResult r = scripted.generator().generate(PROMPT, SamplingParams.greedy(100), CancellationToken.none(),
                TokenListener.NONE);
        assertThat(r.text()).isEqualTo(REPLY);
        assertThat(r.toJson().get("finishReason").asText()).isEqualTo("eos");
    }

    @Test
    void aModelWithAnInputTheGeneratorDoesNotKnowIsRejectedByName() throws Exception {
        Path dir = TestModels.writeModel(tmp.resolve("extra"), TestModels.tinyShape(), Variant.KV_CACHE,
                ModelOptions.none().withExtraInput("pixel_values"));
        try (var session = TinyModelFixture.open(dir)) {
            assertThatThrownBy(() -> DecoderSpec.load(dir, session))
                    .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)))
                    .hasMessageContaining("pixel_values").hasMessageContaining("model_type llama");
        }
    }

    @Test
    void configThatDisagreesWithTheGraphIsRejected() throws Exception {
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) io.llmcp.protocol.Json.MAPPER
                .readTree(kv.dir.resolve("config.json").toFile());
        config.put("num_key_value_heads", 1);
        assertThatThrownBy(() -> DecoderSpec.from(config, null, kv.session))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)))
                .hasMessageContaining("num_key_value_heads");
        config.put("num_key_value_heads", kv.spec.kvHeads()).put("num_hidden_layers", 5);
        assertThatThrownBy(() -> DecoderSpec.from(config, null, kv.session)).hasMessageContaining("5 layers");
    }
}
