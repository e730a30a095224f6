package io.llmcp.tooling.testmodel;

import static io.llmcp.tooling.testmodel.OnnxGraph.BOOL;
import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT;
import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT16;
import static io.llmcp.tooling.testmodel.OnnxGraph.INT64;
import static io.llmcp.tooling.testmodel.OnnxGraph.attr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Builds a Llama-style decoder as an ONNX graph, in the order the data flows: token embedding, then per layer
 * RMSNorm, rotary grouped-query attention over the KV cache, RMSNorm, SiLU-gated MLP, then the final norm and
 * the LM head. Names follow the Optimum / transformers.js exports so the generator sees what a real model has.
 */
final class LlamaGraphBuilder {
    private static final float RMS_EPS = 1e-5f;
    private static final double ROPE_THETA = 10000.0;

    private final LlamaShape shape;
    private final Variant variant;
    private final ModelOptions options;
    private final OnnxGraph g = new OnnxGraph("llama");
    private final int headDim;
    private final int group;
    /** Element type of the cache and logits at the graph boundary. */
    private final int ioType;

    private LlamaGraphBuilder(LlamaShape shape, Variant variant, ModelOptions options) {
        this.shape = shape;
        this.variant = variant;
        this.options = options;
        this.headDim = shape.headDim();
        this.group = shape.heads() / shape.kvHeads();
        this.ioType = options.float16Io() ? FLOAT16 : FLOAT;
    }

    static void write(LlamaShape shape, Variant variant, ModelOptions options, Path file) throws IOException {
        LlamaGraphBuilder b = new LlamaGraphBuilder(shape, variant, options);
        b.build();
        b.g.writeModel(file);
    }

    private void build() {
        boolean cache = variant != Variant.NO_CACHE;
        g.input("input_ids", INT64, "batch_size", "sequence_length");
        g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        String positions = cache ? "position_ids" : positionsFromMask();
        if (cache) g.input("position_ids", INT64, "batch_size", "sequence_length");
        for (int i = 0; i < shape.layers() && cache; i++) {
            for (String kv : new String[]{"key", "value"}) {
                g.input("past_key_values." + i + "." + kv, ioType,
                        "batch_size", (long) shape.kvHeads(), "past_sequence_length", (long) headDim);
            }
        }
        if (variant == Variant.MERGED_USE_CACHE_BRANCH) g.input("use_cache_branch", BOOL, 1L);
        for (String extra : options.extraInputs()) g.input(extra, INT64, "batch_size", "sequence_length");
        String[] past = cache ? pastKeyValues() : null;

        String embedding = weights("model.embed_tokens.weight", 1.0, shape.vocab(), shape.hidden());
        String x = g.op("Gather", embedding, "input_ids");
        String mask = additiveMask();
        String[] cosSin = rotaryTables(positions);
        for (int i = 0; i < shape.layers(); i++) {
            String p = "model.layers." + i + ".";
            String h = rmsNorm(x, p + "input_layernorm.weight");
            String pastK = cache ? past[2 * i] : null;
            String pastV = cache ? past[2 * i + 1] : null;
            x = g.op("Add", x, attention(h, p + "self_attn.", i, pastK, pastV, mask, cosSin));
            h = rmsNorm(x, p + "post_attention_layernorm.weight");
            x = g.op("Add", x, mlp(h, p + "mlp."));
        }
        x = rmsNorm(x, "model.norm.weight");
        String logits = shape.tiedEmbeddings() ? tiedHead(x, embedding)
                : g.op("MatMul", x, linear("lm_head.weight", shape.hidden(), shape.vocab()));
        if (!options.scriptedTokens().isEmpty()) logits = g.op("Add", logits, g.op("Gather", scriptBias(), positions));
        g.node(ioType == FLOAT ? "Identity" : "Cast", new String[]{logits}, new String[]{"logits"},
                ioType == FLOAT ? new OnnxGraph.Attr[0] : new OnnxGraph.Attr[]{attr("to", (long) ioType)});
        g.output("logits", ioType, "batch_size", "sequence_length", (long) shape.vocab());
    }

    /**
     * logits = x · Eᵀ with the embedding matrix itself: Gemm's transB reads E transposed in place, where a
     * Transpose node would be constant-folded into a second copy of the largest tensor.
     */
    private String tiedHead(String x, String embedding) {
        String rows = g.op("Reshape", x, g.ints(-1, shape.hidden()));
        String flat = g.op("Gemm", rows, embedding, attr("transB", 1L));
        String outShape = g.op("Concat", g.op("Shape", "input_ids"), g.ints(shape.vocab()), attr("axis", 0L));
        return g.op("Reshape", flat, outShape);
    }

    /** Without position_ids the model numbers the unmasked tokens itself, as HF does: cumsum(mask) - 1. */
    private String positionsFromMask() {
        String cum = g.op("CumSum", "attention_mask", g.ints("cumsum_axis", new long[0], 1));
        String pos = g.op("Sub", cum, g.ints("one_i64", new long[0], 1));
        return g.op("Max", pos, g.ints("zero_i64", new long[0], 0));
    }

    /**
     * Merged exports route the cache through an If on use_cache_branch: the cache is used as given when true,
     * and replaced by an empty one when false (the first step).
     */
    private String[] pastKeyValues() {
        int n = shape.layers() * 2;
        String[] names = new String[n];
        for (int i = 0; i < shape.layers(); i++) {
            names[2 * i] = "past_key_values." + i + ".key";
            names[2 * i + 1] = "past_key_values." + i + ".value";
        }
        if (variant != Variant.MERGED_USE_CACHE_BRANCH) return toFloat(names);
        OnnxGraph withCache = new OnnxGraph("with_cache");
        OnnxGraph withoutCache = new OnnxGraph("without_cache");
        String zero = withoutCache.ints("empty_start", new long[]{1}, 0);
        String axis = withoutCache.ints("empty_axis", new long[]{1}, 2);
        String[] outs = new String[n];
        for (int j = 0; j < n; j++) {
            String t = "then_" + j;
            String e = "else_" + j;
            withCache.node("Identity", new String[]{names[j]}, new String[]{t});
            withCache.output(t, ioType, (Object[]) null);
            withoutCache.node("Slice", new String[]{names[j], zero, zero, axis}, new String[]{e});
            withoutCache.output(e, ioType, (Object[]) null);
            outs[j] = "effective_past_" + j;
        }
        String condition = g.op("Squeeze", "use_cache_branch", g.ints(0));
        g.node("If", new String[]{condition}, outs,
                attr("then_branch", withCache), attr("else_branch", withoutCache));
        return toFloat(outs);
    }

    private String[] toFloat(String[] names) {
        if (ioType == FLOAT) return names;
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) out[i] = g.op("Cast", names[i], attr("to", (long) FLOAT));
        return out;
    }

    /** [batch, 1, seq, total]: 0 where a query may attend to a key (causal and not padding), -1e9 elsewhere. */
    private String additiveMask() {
        String total = g.op("Shape", "attention_mask", attr("start", 1L), attr("end", 2L));
        String seq = g.op("Shape", "input_ids", attr("start", 1L), attr("end", 2L));
        String pastLen = g.op("Sub", total, seq);
        String zeroAxis = g.ints(0);
        String totalScalar = g.op("Squeeze", total, zeroAxis);
        String pastScalar = g.op("Squeeze", pastLen, zeroAxis);
        String one = g.ints("step_one", new long[0], 1);
        String keyIndex = g.op("Range", new String[]{g.ints("range_zero", new long[0], 0), totalScalar, one});
        String queryIndex = g.op("Range", new String[]{pastScalar, totalScalar, one});
        String causal = g.op("LessOrEqual", g.op("Unsqueeze", keyIndex, g.ints(0)),
                g.op("Unsqueeze", queryIndex, g.ints(1)));
        String notPadding = g.op("Unsqueeze", g.op("Cast", "attention_mask", attr("to", (long) BOOL)), g.ints(1, 2));
        String allowed = g.op("And", causal, notPadding);
        return g.op("Where", new String[]{allowed, g.scalar(0f), g.scalar(-1e9f)});
    }

    /** cos and sin for each position id, [batch, 1, seq, head_dim], gathered from precomputed tables. */
    private String[] rotaryTables(String positions) {
        int max = shape.maxPositions();
        float[] cos = new float[max * headDim];
        float[] sin = new float[max * headDim];
        int half = headDim / 2;
        for (int p = 0; p < max; p++) {
            for (int i = 0; i < half; i++) {
                double angle = p / Math.pow(ROPE_THETA, (2.0 * i) / headDim);
                cos[p * headDim + i] = cos[p * headDim + i + half] = (float) Math.cos(angle);
                sin[p * headDim + i] = sin[p * headDim + i + half] = (float) Math.sin(angle);
            }
        }
        long[] dims = {max, headDim};
        String c = g.op("Gather", g.floats("rotary.cos", dims, cos), positions);
        String s = g.op("Gather", g.floats("rotary.sin", dims, sin), positions);
        String axis = g.ints(1);
        return new String[]{g.op("Unsqueeze", c, axis), g.op("Unsqueeze", s, axis)};
    }

    private String attention(String h, String p, int layer, String pastK, String pastV, String mask, String[] cs) {
        int q = shape.heads() * headDim;
        int kv = shape.kvHeads() * headDim;
        String query = rotate(heads(g.op("MatMul", h, linear(p + "q_proj.weight", shape.hidden(), q)), shape.heads()), cs);
        String key = rotate(heads(g.op("MatMul", h, linear(p + "k_proj.weight", shape.hidden(), kv)), shape.kvHeads()), cs);
        String value = heads(g.op("MatMul", h, linear(p + "v_proj.weight", shape.hidden(), kv)), shape.kvHeads());
        if (pastK != null) {
            key = present(new String[]{pastK, key}, "present." + layer + ".key");
            value = present(new String[]{pastV, value}, "present." + layer + ".value");
        }
        // Grouped-query attention without copying the cache: fold the query heads that share a KV head into
        // the sequence axis, [b, kv, group*seq, d] x [b, kv, d, total].
        String grouped = g.op("Reshape", query, g.ints(0, shape.kvHeads(), -1, headDim));
        String scores = g.op("MatMul", grouped, g.op("Transpose", key, attr("perm", 0L, 1L, 3L, 2L)));
        scores = g.op("Mul", scores, g.scalar((float) (1.0 / Math.sqrt(headDim))));
        scores = g.op("Add", g.op("Reshape", scores, g.ints(0, shape.heads(), -1, 0)), mask);
        String probs = g.op("Reshape", g.op("Softmax", scores, attr("axis", -1L)), g.ints(0, shape.kvHeads(), -1, 0));
        String context = g.op("Reshape", g.op("MatMul", probs, value), g.ints(0, shape.heads(), -1, headDim));
        context = g.op("Reshape", g.op("Transpose", context, attr("perm", 0L, 2L, 1L, 3L)), g.ints(0, 0, q));
        return g.op("MatMul", context, linear(p + "o_proj.weight", q, shape.hidden()));
    }

    /** The grown cache: used by this layer in float32 and returned as {@code name} in the boundary type. */
    private String present(String[] pastAndNew, String name) {
        String all = ioType == FLOAT ? name : name + ".float";
        g.node("Concat", pastAndNew, new String[]{all}, attr("axis", 2L));
        if (ioType != FLOAT) g.node("Cast", new String[]{all}, new String[]{name}, attr("to", (long) ioType));
        g.output(name, ioType, "batch_size", (long) shape.kvHeads(), "total_sequence_length", (long) headDim);
        return all;
    }

    /** [b, s, n*d] -> [b, n, s, d] */
    private String heads(String x, int n) {
        return g.op("Transpose", g.op("Reshape", x, g.ints(0, 0, n, headDim)), attr("perm", 0L, 2L, 1L, 3L));
    }

    /** x*cos + rotate_half(x)*sin, rotate_half(x) = [-x2, x1]. */
    private String rotate(String x, String[] cs) {
        String x1 = "split_" + x + "_a";
        String x2 = "split_" + x + "_b";
        g.node("Split", new String[]{x}, new String[]{x1, x2}, attr("axis", -1L));
        String rotated = g.op("Concat", g.op("Neg", x2), x1, attr("axis", -1L));
        return g.op("Add", g.op("Mul", x, cs[0]), g.op("Mul", rotated, cs[1]));
    }

    private String mlp(String h, String p) {
        String gate = g.op("MatMul", h, linear(p + "gate_proj.weight", shape.hidden(), shape.intermediate()));
        String up = g.op("MatMul", h, linear(p + "up_proj.weight", shape.hidden(), shape.intermediate()));
        String silu = g.op("Mul", gate, g.op("Sigmoid", gate));
        return g.op("MatMul", g.op("Mul", silu, up), linear(p + "down_proj.weight", shape.intermediate(), shape.hidden()));
    }

    private String rmsNorm(String x, String weightName) {
        String meanSquare = g.op("ReduceMean", g.op("Mul", x, x), attr("axes", new long[]{-1}), attr("keepdims", 1L));
        String rms = g.op("Sqrt", g.op("Add", meanSquare, g.scalar(RMS_EPS)));
        float[] ones = new float[shape.hidden()];
        java.util.Arrays.fill(ones, 1f);
        return g.op("Mul", g.op("Div", x, rms), g.floats(weightName, new long[]{shape.hidden()}, ones));
    }

    /** A [in, out] matrix (already transposed for MatMul) with std 1/sqrt(in), so activations stay O(1). */
    private String linear(String name, int in, int out) {
        return weights(name, 1.0 / Math.sqrt(in), in, out);
    }

    private String weights(String name, double std, long rows, long cols) {
        return g.generatedFloats(name, new long[]{rows, cols}, uniform(name, std));
    }

    /** Uniform noise with the given std, seeded by the shape's seed and the tensor name: same seed, same bytes. */
    private DoubleSupplier uniform(String name, double std) {
        long nameHash = 1125899906842597L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) nameHash = 31 * nameHash + b;
        SplittableRandom random = new SplittableRandom(shape.seed() * 0x9E3779B97F4A7C15L ^ nameHash);
        double a = std * Math.sqrt(3.0);
        return () -> random.nextDouble(-a, a);
    }

    private String scriptBias() {
        float[] bias = new float[shape.maxPositions() * shape.vocab()];
        for (Map.Entry<Integer, Integer> e : options.scriptedTokens().entrySet()) {
            bias[e.getKey() * shape.vocab() + e.getValue()] = ModelOptions.SCRIPT_BIAS;
        }
        return g.floats("script.bias", new long[]{shape.maxPositions(), shape.vocab()}, bias);
    }
}
