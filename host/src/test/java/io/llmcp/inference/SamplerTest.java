package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static SamplingParams params(double temperature, int topK, double topP, double penalty, long seed) {
        return new SamplingParams(10, temperature, topK, topP, penalty, seed, List.of());
    }

    @Property(tries = 200)
    void greedyAndTopOneAreTheArgmax(@ForAll @Size(min = 2, max = 50) List<@FloatRange(min = -20, max = 20) Float> values,
                                     @ForAll @IntRange(min = 0, max = 1000) int seed) {
        float[] logits = new float[values.size()];
        for (int i = 0; i < logits.length; i++) logits[i] = values.get(i);
        int argmax = Sampler.argmax(logits.clone());
        assertThat(new Sampler(params(0, 0, 1, 1, seed)).sample(logits.clone())).isEqualTo(argmax);
        assertThat(new Sampler(params(2.0, 1, 1, 1, seed)).sample(logits.clone())).isEqualTo(argmax);
    }

    @Property(tries = 200)
    void samplesStayInsideTopK(@ForAll @Size(min = 5, max = 50) List<@FloatRange(min = -5, max = 5) Float> values,
                               @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        float[] logits = new float[values.size()];
        for (int i = 0; i < logits.length; i++) logits[i] = values.get(i);
        float kth = (float) IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).boxed()
                .sorted((a, b) -> Double.compare(b, a)).skip(k - 1).findFirst().orElseThrow().doubleValue();
        Sampler s = new Sampler(params(1.5, k, 1, 1, seed));
        for (int i = 0; i < 20; i++) assertThat(logits[s.sample(logits.clone())]).isGreaterThanOrEqualTo(kth);
    }

    @Test
    void temperatureSpreadsChoicesAndSeedRepeatsThem() {
        float[] logits = {1f, 1.1f, 0.9f, 1.05f, 0.95f};
        Set<Integer> seen = new HashSet<>();
        Sampler a = new Sampler(params(1, 0, 1, 1, 3));
        Sampler b = new Sampler(params(1, 0, 1, 1, 3));
        for (int i = 0; i < 200; i++) {
            int x = a.sample(logits.clone());
            assertThat(b.sample(logits.clone())).isEqualTo(x);
            seen.add(x);
        }
        assertThat(seen).hasSize(5);
    }

    @Test
    void smallTopPKeepsOnlyTheMostLikelyToken() {
        float[] logits = {0f, 5f, 4.9f, 1f};
        Sampler s = new Sampler(params(1, 0, 0.05, 1, 1));
        for (int i = 0; i < 50; i++) assertThat(s.sample(logits.clone())).isEqualTo(1);
    }

    @Test
    void repetitionPenaltyPushesSeenTokensDown() {
        float[] logits = {2f, 1.9f, -1f};
        Sampler s = new Sampler(params(0, 0, 1, 1.5, 1));
        assertThat(s.sample(logits.clone())).isEqualTo(0);
        s.remember(0);
        assertThat(s.sample(logits.clone())).isEqualTo(1);
    }
}
