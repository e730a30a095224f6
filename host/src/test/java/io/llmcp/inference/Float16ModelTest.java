package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import io.llmcp.inference.GenerationResult.FinishReason;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import io.llmcp.protocol.CancellationToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fp16 exports (model_fp16 / q4f16) carry the cache and logits as float16 across the graph boundary. */
class Float16ModelTest {
    @TempDir
    Path tmp;

    @Test
    void float16CacheAndLogitsGenerateLikeTheFloat32Model() throws Exception {
        for (Variant v : new Variant[]{Variant.KV_CACHE, Variant.MERGED_USE_CACHE_BRANCH}) {
            try (TinyModelFixture half = TinyModelFixture.build(tmp.resolve("h" + v), TestModels.tinyShape(), v,
                    ModelOptions.none().withFloat16Io());
                 TinyModelFixture full = TinyModelFixture.build(tmp.resolve("f" + v), v)) {
                assertThat(half.spec.kvType()).isEqualTo(OnnxJavaType.FLOAT16);
                long[] prompt = half.tokenizer.encode("<|im_start|>user\nHello there, model.<|im_end|>\n");
                List<OnnxValue> values = new ArrayList<>();
                Generator g = new Generator((feed, options) -> {
                    values.addAll(feed.values());
                    OrtSession.Result r = half.session.run(feed, options);
                    for (Map.Entry<String, OnnxValue> e : r) values.add(e.getValue());
                    return r;
                }, half.generatorWithoutEos().spec(), half.tokenizer, "CPU");
                GenerationResult h = g.generate(prompt, SamplingParams.greedy(32), CancellationToken.none(), TokenListener.NONE);
                GenerationResult f = full.generatorWithoutEos().generate(prompt, SamplingParams.greedy(32),
                        CancellationToken.none(), TokenListener.NONE);
                assertThat(h.finishReason()).isEqualTo(FinishReason.LENGTH);
                assertThat(h.tokenIds()).hasSize(32);
                assertThat(values).isNotEmpty().allMatch(OnnxValue::isClosed);
                assertThat(values).anyMatch(x -> x instanceof OnnxTensor t && t.getInfo().type == OnnxJavaType.FLOAT16);
                int same = 0;
                while (same < 32 && h.tokenIds()[same] == f.tokenIds()[same]) same++;
                assertThat(same).as("float16 rounding may change a near tie, not the start").isGreaterThanOrEqualTo(16);
            }
        }
    }
}
