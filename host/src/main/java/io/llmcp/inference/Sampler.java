package io.llmcp.inference;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: repetition penalty, then greedy argmax at temperature 0, else temperature,
 * top-k, top-p (nucleus) and a draw from a seeded {@link SplittableRandom}, so the same seed gives the same text.
 */
public final class Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final double repetitionPenalty;
    private final SplittableRandom random;
    private final BitSet seen = new BitSet();

    /** {@code params} must be resolved ({@link SamplingParams#orDefaults}). */
    public Sampler(SamplingParams params) {
        this.temperature = params.temperature();
        this.topK = params.topK();
        this.topP = params.topP();
        this.repetitionPenalty = params.repetitionPenalty();
        this.random = params.seed() != null ? new SplittableRandom(params.seed()) : new SplittableRandom();
    }

    /** Tokens the repetition penalty applies to (HF applies it to the prompt as well as the output). */
    public void remember(long tokenId) {
        seen.set((int) tokenId);
    }

    /** Chooses a token; {@code logits} may be modified. */
    public int sample(float[] logits) {
        if (repetitionPenalty != 1.0) {
            for (int id = seen.nextSetBit(0); id >= 0 && id < logits.length; id = seen.nextSetBit(id + 1)) {
                logits[id] = (float) (logits[id] > 0 ? logits[id] / repetitionPenalty : logits[id] * repetitionPenalty);
            }
        }
        if (temperature <= 0) return argmax(logits);
        int[] candidates = topK > 0 && topK < logits.length ? topK(logits, topK) : allIds(logits.length);
        double max = Double.NEGATIVE_INFINITY;
        for (int id : candidates) max = Math.max(max, logits[id]);
        double[] weights = new double[candidates.length];
        double sum = 0;
        for (int i = 0; i < candidates.length; i++) {
            weights[i] = Math.exp((logits[candidates[i]] - max) / temperature);
            sum += weights[i];
        }
        int count = candidates.length;
        if (topP < 1.0) {
            sortByWeightDescending(candidates, weights);
            double mass = 0;
            int keep = 0;
            while (keep < count && mass < topP * sum) mass += weights[keep++];
            count = Math.max(1, keep);
            sum = mass > 0 ? mass : weights[0];
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < count; i++) {
            r -= weights[i];
            if (r < 0) return candidates[i];
        }
        return candidates[count - 1];
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static int[] allIds(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        return ids;
    }

    /** The k ids with the largest logits, via a min-heap of size k (ties: the lower id wins). */
    private static int[] topK(float[] logits, int k) {
        int[] heap = new int[k];
        int size = 0;
        for (int id = 0; id < logits.length; id++) {
            if (size < k) {
                heap[size] = id;
                siftUp(heap, size++, logits);
            } else if (logits[id] > logits[heap[0]]) {
                heap[0] = id;
                siftDown(heap, k, logits);
            }
        }
        Arrays.sort(heap);
        return heap;
    }

    private static void siftUp(int[] h, int i, float[] v) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (v[h[i]] >= v[h[parent]]) return;
            int t = h[i];
            h[i] = h[parent];
            h[parent] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] h, int n, float[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int smallest = i;
            if (l < n && v[h[l]] < v[h[smallest]]) smallest = l;
            if (r < n && v[h[r]] < v[h[smallest]]) smallest = r;
            if (smallest == i) return;
            int t = h[i];
            h[i] = h[smallest];
            h[smallest] = t;
            i = smallest;
        }
    }

    private static void sortByWeightDescending(int[] ids, double[] weights) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> weights[b] != weights[a] ? Double.compare(weights[b], weights[a]) : Integer.compare(ids[a], ids[b]));
        int[] sortedIds = new int[ids.length];
        double[] sortedWeights = new double[ids.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            sortedWeights[i] = weights[order[i]];
        }
        System.arraycopy(sortedIds, 0, ids, 0, ids.length);
        System.arraycopy(sortedWeights, 0, weights, 0, weights.length);
    }
}
