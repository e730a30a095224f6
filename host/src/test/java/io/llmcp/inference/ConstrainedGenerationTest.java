package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmcp.constrain.GrammarConstraint;
import io.llmcp.constrain.JsonSchemaCompiler;
import io.llmcp.constrain.MiniValidator;
import io.llmcp.constrain.Schemas;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random-weight models produce junk; under a responseConstraint the junk must still parse and validate, for
 * greedy and sampled decoding, with and without an end token.
 */
class ConstrainedGenerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "<|im_start|>user\nDescribe a person as JSON.<|im_end|>\n<|im_start|>assistant\n";

    @TempDir
    static Path tmp;
    static TinyModelFixture a;
    static TinyModelFixture b;

    @BeforeAll
    static void build() throws Exception {
        a = TinyModelFixture.build(tmp.resolve("a"), Variant.KV_CACHE);
        LlamaShape s = TestModels.tinyShape();
        LlamaShape other = new LlamaShape(s.layers(), s.hidden(), s.heads(), s.kvHeads(), s.intermediate(), s.vocab(),
                s.maxPositions(), s.seed() + 99, s.tiedEmbeddings());
        b = TinyModelFixture.build(tmp.resolve("b"), other, Variant.KV_CACHE, ModelOptions.none());
    }

    @AfterAll
    static void close() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void everyOutputParsesAndValidates() throws Exception {
        int runs = 0;
        for (TinyModelFixture f : List.of(a, b)) {
            for (Generator g : List.of(f.generator(), f.generatorWithoutEos())) {
                for (JsonNode schema : Schemas.all()) {
                    for (SamplingParams p : List.of(SamplingParams.greedy(48),
                            new SamplingParams(48, 1.5, 0, 1.0, null, 11L, List.of()),
                            new SamplingParams(40, 0.8, 20, 0.9, 1.3, 5L, List.of()))) {
                        GrammarConstraint c = new GrammarConstraint(JsonSchemaCompiler.compile(schema, "rc"),
                                f.tokenizer, g.spec().eosIds());
                        StringBuilder streamed = new StringBuilder();
                        GenerationResult r = g.generate(PROMPT, p, new CancellationToken(),
                                (delta, id) -> streamed.append(delta), c);
                        assertThat(r.text()).isEqualTo(streamed.toString());
                        JsonNode value = JSON.readTree(r.text());
                        assertThat(MiniValidator.valid(schema, value)).as("%s → %s", schema, r.text()).isTrue();
                        assertThat(r.finishReason()).isIn(GenerationResult.FinishReason.EOS, GenerationResult.FinishReason.LENGTH);
                        runs++;
                    }
                }
            }
        }
        assertThat(runs).isEqualTo(2 * 2 * Schemas.all().size() * 3);
    }

    /** Prints the decode cost with and without the constraint (ms per token), the number the docs quote. */
    @Test
    void costPerToken() {
        Generator g = a.generatorWithoutEos();
        JsonNode schema = Schemas.all().get(2);
        // warm up (and build the vocabulary trie once)
        g.generate(PROMPT, SamplingParams.greedy(8), new CancellationToken(), TokenListener.NONE,
                new GrammarConstraint(JsonSchemaCompiler.compile(schema, "rc"), a.tokenizer, g.spec().eosIds()));
        int n = 60;
        long t0 = System.nanoTime();
        GenerationResult plain = g.generate(PROMPT, SamplingParams.greedy(n), new CancellationToken(), TokenListener.NONE);
        long t1 = System.nanoTime();
        GrammarConstraint c = new GrammarConstraint(JsonSchemaCompiler.compile(schema, "rc"), a.tokenizer, g.spec().eosIds());
        GenerationResult constrained = g.generate(PROMPT, SamplingParams.greedy(n), new CancellationToken(), TokenListener.NONE, c);
        long t2 = System.nanoTime();
        System.out.printf("constrained decoding (vocab %d): plain %.3f ms/token, constrained %.3f ms/token, mask %.3f ms/step%n",
                a.spec.maxPositions() > 0 ? TestModels.tinyShape().vocab() : 0,
                (t1 - t0) / 1e6 / plain.generatedTokens(), (t2 - t1) / 1e6 / Math.max(1, constrained.generatedTokens()),
                c.maskMillisPerStep());
        assertThat(c.maskMillisPerStep()).isLessThan(50);
    }
}
