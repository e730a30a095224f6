package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.llmcp.inference.GenerationResult.FinishReason;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.CancellationToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every tensor the generator creates or receives is closed, and the cache moves between steps by reference. */
class GeneratorResourceTest {
    @TempDir
    Path tmp;

    @Test
    void twoHundredStepsCloseEveryTensorAndPassPresentAsPastWithoutCopying() throws Exception {
        try (TinyModelFixture f = TinyModelFixture.build(tmp.resolve("kv"), Variant.KV_CACHE)) {
            List<OnnxTensor> inputs = new ArrayList<>();
            List<OrtSession.Result> results = new ArrayList<>();
            List<OnnxValue> outputs = new ArrayList<>();
            int[] reusedByReference = {0};
            Generator.StepRunner counting = (feed, options) -> {
                if (!results.isEmpty()) {
                    OrtSession.Result last = results.get(results.size() - 1);
                    for (int i = 0; i < f.spec.layers(); i++) {
                        assertThat(feed.get("past_key_values." + i + ".key")).isSameAs(last.get("present." + i + ".key").get());
                        assertThat(feed.get("past_key_values." + i + ".value")).isSameAs(last.get("present." + i + ".value").get());
                    }
                    reusedByReference[0]++;
                }
                inputs.addAll(feed.values());
                OrtSession.Result r = f.session.run(feed, options);
                results.add(r);
                for (Map.Entry<String, OnnxValue> e : r) outputs.add(e.getValue());
                return r;
            };
            long[] prompt = LongStream.range(0, 20).map(i -> 10 + i).toArray();
            DecoderSpec noEos = f.generatorWithoutEos().spec();
            Generator g = new Generator(counting, noEos, f.tokenizer, "CPU");
            GenerationResult r = g.generate(prompt, SamplingParams.greedy(200), CancellationToken.none(), TokenListener.NONE);

            assertThat(r.generatedTokens()).isEqualTo(200);
            assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(results).hasSize(200);
            assertThat(reusedByReference[0]).isEqualTo(199);
            assertThat(inputs).allMatch(OnnxValue::isClosed);
            assertThat(outputs).hasSize(200 * (1 + 2 * f.spec.layers())).allMatch(OnnxValue::isClosed);
        }
    }

    @Test
    void cancelDuringARunTerminatesItAndClosesEverything() throws Exception {
        try (TinyModelFixture f = TinyModelFixture.build(tmp.resolve("cancel"), Variant.KV_CACHE)) {
            CancellationToken token = new CancellationToken();
            List<OnnxValue> values = new ArrayList<>();
            int[] runs = {0};
            List<Exception> terminated = new ArrayList<>();
            Generator g = new Generator((feed, options) -> {
                values.addAll(feed.values());
                if (++runs[0] == 5) token.cancel(); // arrives while the fifth forward pass is "running"
                OrtSession.Result r;
                try {
                    r = f.session.run(feed, options);
                } catch (ai.onnxruntime.OrtException e) {
                    terminated.add(e);
                    throw e;
                }
                for (Map.Entry<String, OnnxValue> e : r) values.add(e.getValue());
                return r;
            }, f.generatorWithoutEos().spec(), f.tokenizer, "CPU");
            GenerationResult r = g.generate(new long[]{5, 6, 7}, SamplingParams.greedy(50), token, TokenListener.NONE);
            assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(r.generatedTokens()).isEqualTo(4);
            assertThat(runs[0]).isEqualTo(5);
            assertThat(terminated).as("ORT aborted the run instead of finishing it").hasSize(1);
            assertThat(values).isNotEmpty().allMatch(OnnxValue::isClosed);
        }
    }

    @Test
    void noCacheAndMergedModelsAlsoCloseEverything() throws Exception {
        for (Variant v : new Variant[]{Variant.NO_CACHE, Variant.MERGED_USE_CACHE_BRANCH}) {
            try (TinyModelFixture f = TinyModelFixture.build(tmp.resolve(v.name()), v)) {
                List<OnnxTensor> inputs = new ArrayList<>();
                List<OrtSession.Result> results = new ArrayList<>();
                List<OnnxValue> outputs = new ArrayList<>();
                Generator g = new Generator((feed, options) -> {
                    inputs.addAll(feed.values());
                    OrtSession.Result r = f.session.run(feed, options);
                    results.add(r);
                    for (Map.Entry<String, OnnxValue> e : r) outputs.add(e.getValue());
                    return r;
                }, f.generatorWithoutEos().spec(), f.tokenizer, "CPU");
                g.generate(new long[]{5, 6, 7}, SamplingParams.greedy(30), CancellationToken.none(), TokenListener.NONE);
                assertThat(results).as(v.name()).hasSize(30);
                assertThat(inputs).as(v.name()).allMatch(OnnxValue::isClosed);
                assertThat(outputs).as(v.name()).isNotEmpty().allMatch(OnnxValue::isClosed);
            }
        }
    }
}
