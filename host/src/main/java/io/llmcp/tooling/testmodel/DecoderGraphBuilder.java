package io.llmcp.tooling.testmodel;

import static io.llmcp.tooling.testmodel.OnnxGraph.BOOL;
import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT;
import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT16;
import static io.llmcp.tooling.testmodel.OnnxGraph.INT64;
import static io.llmcp.tooling.testmodel.OnnxGraph.attr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a decoder-only model as an ONNX graph, in the order the data flows: token embedding, then per layer
 * norm, attention over the KV cache, norm, MLP, then the final norm and the LM head. The family
 * ({@link Architecture}) decides the details (fused projections, biases, q/k norms, Gemma's scaled embeddings and
 * sandwich norms, GPT-2's learned positions); the {@link Dtype} how weights are stored (float32, float16, or
 * 4-bit {@code MatMulNBits}). Names follow the Optimum / transformers.js exports so the generator sees what a
 * real model has.
 */
final class DecoderGraphBuilder {
    private static final double ROPE_THETA = 10000.0;

    private final LlamaShape shape;
    private final Variant variant;
    private final ModelOptions options;
    private final Architecture arch;
    private final Dtype dtype;
    private final OnnxGraph g = new OnnxGraph("decoder");
    private final WeightOps ops;
    private final int headDim;
    /** Element type of the cache and logits at the graph boundary. */
    private final int ioType;

    private DecoderGraphBuilder(LlamaShape shape, Variant variant, ModelOptions options) {
        this.shape = shape;
        this.variant = variant;
        this.options = options;
        this.arch = options.architecture();
        this.dtype = options.dtype();
        this.headDim = shape.headDim();
        this.ioType = options.float16Io() ? FLOAT16 : FLOAT;
        this.ops = new WeightOps(g, shape, arch, dtype);
        if (arch == Architecture.GPT2 && shape.heads() != shape.kvHeads()) {
            throw new IllegalArgumentException("gpt2 has multi-head attention: heads must equal kvHeads");
        }
    }

    static void write(LlamaShape shape, Variant variant, ModelOptions options, Path file) throws IOException {
        DecoderGraphBuilder b = new DecoderGraphBuilder(shape, variant, options);
        b.build();
        b.g.writeModel(file);
    }

    /** Rows of the position tables: positions may start at 1 (Gemma-3), so one more than the context. */
    private int positionRows() {
        return shape.maxPositions() + 1;
    }

    private void build() {
        boolean cache = variant != Variant.NO_CACHE;
        g.input("input_ids", INT64, "batch_size", "sequence_length");
        g.input("attention_mask", INT64, "batch_size", "total_sequence_length");
        boolean gqa = variant == Variant.GROUP_QUERY_ATTENTION;
        if (gqa && (arch.qkNorm() || arch == Architecture.GPT2 || ioType != FLOAT)) {
            throw new IllegalArgumentException("the GroupQueryAttention layout is built for float32 " +
                    "families without q/k norms");
        }
        String positions = cache && !gqa ? "position_ids" : positionsFromMask();
        if (cache && !gqa) g.input("position_ids", INT64, "batch_size", "sequence_length");
        for (int i = 0; i < shape.layers() && cache; i++) {
            for (String kv : new String[]{"key", "value"}) {
                g.input("past_key_values." + i + "." + kv, ioType,
                        "batch_size", (long) shape.kvHeads(), "past_sequence_length", (long) headDim);
            }
        }
        if (variant == Variant.MERGED_USE_CACHE_BRANCH) g.input("use_cache_branch", BOOL, 1L);
        if (options.numLogitsToKeep()) g.input("num_logits_to_keep", INT64);
        for (String extra : options.extraInputs()) {
            if (extra.startsWith("past_conv.")) continue; // a hybrid state, built below
            if (extra.equals("cache_position")) g.input(extra, INT64, "sequence_length");
            else g.input(extra, INT64, "batch_size", "sequence_length");
        }
        String[] past = cache ? pastKeyValues() : null;

        // Gemma multiplies the embeddings by sqrt(hidden), so its table is stored that much smaller.
        String embedding = ops.weights(arch == Architecture.GPT2 ? "transformer.wte.weight" : "model.embed_tokens.weight",
                arch.gemma() ? 1.0 / Math.sqrt(shape.hidden()) : 1.0, shape.vocab(), shape.hidden());
        String x = g.op("Gather", embedding, "input_ids");
        if (arch.gemma()) x = g.op("Mul", x, g.scalar((float) Math.sqrt(shape.hidden())));
        if (arch == Architecture.GPT2) {
            x = g.op("Add", x, g.op("Gather", ops.weights("transformer.wpe.weight", 0.5, positionRows(), shape.hidden()), positions));
        }
        if (gqa) {
            // The step's own positions: the last sequence_length of cumsum(mask) - 1.
            positions = g.op("Slice", new String[]{positions, g.op("Neg", g.op("Shape", "input_ids", attr("start", 1L),
                    attr("end", 2L))), g.ints(Long.MAX_VALUE), g.ints(1)});
            seqlensK = g.op("Cast", g.op("Sub", g.op("ReduceSum", "attention_mask", g.ints(1), attr("keepdims", 0L)), g.ints(1)),
                    attr("to", (long) OnnxGraph.INT32));
            totalLength = g.op("Cast", g.op("Squeeze", g.op("Shape", "attention_mask", attr("start", 1L), attr("end", 2L)),
                    g.ints(0)), attr("to", (long) OnnxGraph.INT32));
        }
        if (options.extraInputs().contains("past_conv.0")) x = convState(x);
        String mask = additiveMask();
        String[] cosSin = arch == Architecture.GPT2 ? null : rotaryTables(positions);
        for (int i = 0; i < shape.layers(); i++) {
            String pastK = cache ? past[2 * i] : null;
            String pastV = cache ? past[2 * i + 1] : null;
            x = arch == Architecture.GPT2 ? gpt2Block(x, i, pastK, pastV, mask)
                    : block(x, i, pastK, pastV, mask, arch.ropeInLayer(i) ? cosSin : null);
        }
        if (options.numLogitsToKeep()) {
            // Only the last num_logits_to_keep positions reach the head (0 keeps all): Slice from -k.
            String start = g.op("Neg", g.op("Unsqueeze", "num_logits_to_keep", g.ints(0)));
            String end = g.ints(Long.MAX_VALUE);
            x = g.op("Slice", new String[]{x, start, end, g.ints(1)});
            positions = g.op("Slice", new String[]{positions, start, end, g.ints(1)});
        }
        x = arch == Architecture.GPT2 ? ops.layerNorm(x, "transformer.ln_f") : norm(x, "model.norm.weight");
        String logits = shape.tiedEmbeddings() ? tiedHead(x, embedding)
                : ops.matmul(x, "lm_head.weight", shape.hidden(), shape.vocab());
        if (arch == Architecture.GEMMA2) logits = ops.softcap(logits, 30f);
        if (!options.scriptedTokens().isEmpty()) logits = g.op("Add", logits, g.op("Gather", scriptBias(), positions));
        g.node(ioType == FLOAT ? "Identity" : "Cast", new String[]{logits}, new String[]{"logits"},
                ioType == FLOAT ? new OnnxGraph.Attr[0] : new OnnxGraph.Attr[]{attr("to", (long) ioType)});
        g.output("logits", ioType, "batch_size", "sequence_length", (long) shape.vocab());
    }

    private String block(String x, int i, String pastK, String pastV, String mask, String[] cosSin) {
        String p = "model.layers." + i + ".";
        String h = norm(x, p + "input_layernorm.weight");
        String a = attention(h, p + "self_attn.", i, pastK, pastV, mask, cosSin);
        if (arch.gemma()) a = norm(a, p + "post_attention_layernorm.weight");
        x = g.op("Add", x, a);
        h = norm(x, p + (arch.gemma() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight"));
        String m = mlp(h, p + "mlp.");
        if (arch.gemma()) m = norm(m, p + "post_feedforward_layernorm.weight");
        return g.op("Add", x, m);
    }

    /** GPT-2: pre-LayerNorm, fused c_attn with bias, multi-head attention, GeLU MLP (weights are [in, out], Conv1D). */
    private String gpt2Block(String x, int i, String pastK, String pastV, String mask) {
        String p = "transformer.h." + i + ".";
        int d = shape.hidden();
        String h = ops.layerNorm(x, p + "ln_1");
        String qkv = g.op("Add", ops.matmul(h, p + "attn.c_attn.weight", d, 3 * d), ops.bias(p + "attn.c_attn.bias", 3 * d));
        String[] parts = split(qkv, d, d, d);
        String a = attend(heads(parts[0], shape.heads()), heads(parts[1], shape.kvHeads()), heads(parts[2], shape.kvHeads()),
                i, pastK, pastV, mask, (float) (1.0 / Math.sqrt(headDim)));
        a = g.op("Add", ops.matmul(a, p + "attn.c_proj.weight", d, d), ops.bias(p + "attn.c_proj.bias", d));
        x = g.op("Add", x, a);
        h = ops.layerNorm(x, p + "ln_2");
        String up = ops.gelu(g.op("Add", ops.matmul(h, p + "mlp.c_fc.weight", d, shape.intermediate()),
                ops.bias(p + "mlp.c_fc.bias", shape.intermediate())));
        String down = g.op("Add", ops.matmul(up, p + "mlp.c_proj.weight", shape.intermediate(), d), ops.bias(p + "mlp.c_proj.bias", d));
        return g.op("Add", x, down);
    }

    /**
     * logits = x · Eᵀ with the embedding matrix itself: Gemm's transB reads E transposed in place, where a
     * Transpose node would be constant-folded into a second copy of the largest tensor.
     */
    private String tiedHead(String x, String embedding) {
        String rows = g.op("Reshape", x, g.ints(-1, shape.hidden()));
        String flat = g.op("Gemm", rows, embedding, attr("transB", 1L));
        String outShape = g.op("Concat", g.op("Shape", x, attr("start", 0L), attr("end", 2L)), g.ints(shape.vocab()),
                attr("axis", 0L));
        return g.op("Reshape", flat, outShape);
    }

    /** Without position_ids the model numbers the unmasked tokens itself, as HF does: cumsum(mask) - 1. */
    private String positionsFromMask() {
        String cum = g.op("CumSum", "attention_mask", g.ints("cumsum_axis", new long[0], 1));
        String pos = g.op("Sub", cum, g.ints("one_i64", new long[0], 1 - arch.positionStart()));
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
        int max = positionRows();
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

    /**
     * A hybrid model's recurrent state in the LFM2 naming: {@code past_conv.0} [batch, hidden, 3] holds the last three
     * embeddings (zeros at first); {@code present_conv.0} is it shifted by this step's tokens. Their mean is added to
     * the embeddings, so a state fed back wrongly changes the output.
     */
    private String convState(String x) {
        g.input("past_conv.0", FLOAT, "batch_size", (long) shape.hidden(), 3L);
        String steps = g.op("Transpose", x, attr("perm", 0L, 2L, 1L));
        String all = g.op("Concat", "past_conv.0", steps, attr("axis", 2L));
        g.node("Slice", new String[]{all, g.ints(-3), g.ints(Long.MAX_VALUE), g.ints(2)}, new String[]{"present_conv.0"});
        g.output("present_conv.0", FLOAT, "batch_size", (long) shape.hidden(), 3L);
        String mean = g.op("ReduceMean", "past_conv.0", attr("axes", new long[]{2}), attr("keepdims", 1L));
        return g.op("Add", x, g.op("Transpose", mean, attr("perm", 0L, 2L, 1L)));
    }

    private String seqlensK;
    private String totalLength;

    /** One com.microsoft.GroupQueryAttention node: rotary, the cache concat and attention, as the genai builder writes. */
    private String groupQueryAttention(String query, String key, String value, int layer, String pastK, String pastV,
                                       boolean rotary) {
        int half = headDim / 2;
        if (!g.has("gqa.cos_cache")) {
            float[] cos = new float[positionRows() * half];
            float[] sin = new float[positionRows() * half];
            for (int p = 0; p < positionRows(); p++) {
                for (int i = 0; i < half; i++) {
                    double angle = p / Math.pow(ROPE_THETA, (2.0 * i) / headDim);
                    cos[p * half + i] = (float) Math.cos(angle);
                    sin[p * half + i] = (float) Math.sin(angle);
                }
            }
            g.floats("gqa.cos_cache", new long[]{positionRows(), half}, cos);
            g.floats("gqa.sin_cache", new long[]{positionRows(), half}, sin);
        }
        String out = "gqa_out_" + layer;
        String[] outs = {out, "present." + layer + ".key", "present." + layer + ".value"};
        g.node(OnnxGraph.MS_DOMAIN, "GroupQueryAttention",
                new String[]{query, key, value, pastK, pastV, seqlensK, totalLength, "gqa.cos_cache", "gqa.sin_cache"}, outs,
                attr("num_heads", (long) shape.heads()), attr("kv_num_heads", (long) shape.kvHeads()),
                attr("do_rotary", rotary ? 1L : 0L), attr("rotary_interleaved", 0L));
        for (int j = 1; j < 3; j++) {
            g.output(outs[j], ioType, "batch_size", (long) shape.kvHeads(), "total_sequence_length", (long) headDim);
        }
        return out;
    }

    private String attention(String h, String p, int layer, String pastK, String pastV, String mask, String[] cs) {
        int q = shape.heads() * headDim;
        int kv = shape.kvHeads() * headDim;
        String query;
        String key;
        String value;
        if (arch.fused()) {
            String[] parts = split(ops.matmul(h, p + "qkv_proj.weight", shape.hidden(), q + 2 * kv), q, kv, kv);
            query = parts[0];
            key = parts[1];
            value = parts[2];
        } else {
            query = ops.matmul(h, p + "q_proj.weight", shape.hidden(), q);
            key = ops.matmul(h, p + "k_proj.weight", shape.hidden(), kv);
            value = ops.matmul(h, p + "v_proj.weight", shape.hidden(), kv);
            if (arch.qkvBias()) {
                query = g.op("Add", query, ops.bias(p + "q_proj.bias", q));
                key = g.op("Add", key, ops.bias(p + "k_proj.bias", kv));
                value = g.op("Add", value, ops.bias(p + "v_proj.bias", kv));
            }
        }
        if (variant == Variant.GROUP_QUERY_ATTENTION) {
            return ops.matmul(groupQueryAttention(query, key, value, layer, pastK, pastV, cs != null), p + "o_proj.weight", q,
                    shape.hidden());
        }
        query = heads(query, shape.heads());
        key = heads(key, shape.kvHeads());
        value = heads(value, shape.kvHeads());
        if (arch.qkNorm()) {
            query = ops.norm(query, p + "q_norm.weight", headDim);
            key = ops.norm(key, p + "k_norm.weight", headDim);
        }
        if (cs != null) {
            query = rotate(query, cs);
            key = rotate(key, cs);
        }
        // Gemma scales by query_pre_attn_scalar^-0.5 (= head_dim here), the others by head_dim^-0.5.
        String context = attend(query, key, value, layer, pastK, pastV, mask, (float) (1.0 / Math.sqrt(headDim)));
        return ops.matmul(context, p + "o_proj.weight", q, shape.hidden());
    }

    /** softmax(q·kᵀ·scale + mask)·v over the grown cache; returns [b, s, heads*head_dim]. */
    private String attend(String query, String key, String value, int layer, String pastK, String pastV, String mask,
                          float scale) {
        if (pastK != null) {
            key = present(new String[]{pastK, key}, "present." + layer + ".key");
            value = present(new String[]{pastV, value}, "present." + layer + ".value");
        }
        // Grouped-query attention without copying the cache: fold the query heads that share a KV head into
        // the sequence axis, [b, kv, group*seq, d] x [b, kv, d, total].
        String grouped = g.op("Reshape", query, g.ints(0, shape.kvHeads(), -1, headDim));
        String scores = g.op("MatMul", grouped, g.op("Transpose", key, attr("perm", 0L, 1L, 3L, 2L)));
        scores = g.op("Mul", scores, g.scalar(scale));
        if (arch == Architecture.GEMMA2) scores = ops.softcap(scores, 50f);
        scores = g.op("Add", g.op("Reshape", scores, g.ints(0, shape.heads(), -1, 0)), mask);
        String probs = g.op("Reshape", g.op("Softmax", scores, attr("axis", -1L)), g.ints(0, shape.kvHeads(), -1, 0));
        String context = g.op("Reshape", g.op("MatMul", probs, value), g.ints(0, shape.heads(), -1, headDim));
        return g.op("Reshape", g.op("Transpose", context, attr("perm", 0L, 2L, 1L, 3L)),
                g.ints(0, 0, shape.heads() * headDim));
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

    private String[] split(String x, long... sizes) {
        String[] outs = new String[sizes.length];
        for (int i = 0; i < sizes.length; i++) outs[i] = "split_" + x + "_" + i;
        g.node("Split", new String[]{x, g.ints(sizes)}, outs, attr("axis", -1L));
        return outs;
    }

    /** x*cos + rotate_half(x)*sin, rotate_half(x) = [-x2, x1]. */
    private String rotate(String x, String[] cs) {
        String x1 = "split_" + x + "_a";
        String x2 = "split_" + x + "_b";
        g.node("Split", new String[]{x, g.ints(headDim / 2, headDim / 2)}, new String[]{x1, x2}, attr("axis", -1L));
        String rotated = g.op("Concat", g.op("Neg", x2), x1, attr("axis", -1L));
        return g.op("Add", g.op("Mul", x, cs[0]), g.op("Mul", rotated, cs[1]));
    }

    private String mlp(String h, String p) {
        String gate;
        String up;
        if (arch.fused()) {
            String[] parts = split(ops.matmul(h, p + "gate_up_proj.weight", shape.hidden(), 2 * shape.intermediate()),
                    shape.intermediate(), shape.intermediate());
            gate = parts[0];
            up = parts[1];
        } else {
            gate = ops.matmul(h, p + "gate_proj.weight", shape.hidden(), shape.intermediate());
            up = ops.matmul(h, p + "up_proj.weight", shape.hidden(), shape.intermediate());
        }
        String act = arch.gemma() ? ops.gelu(gate) : g.op("Mul", gate, g.op("Sigmoid", gate));
        return ops.matmul(g.op("Mul", act, up), p + "down_proj.weight", shape.intermediate(), shape.hidden());
    }



    private String norm(String x, String weightName) {
        return ops.norm(x, weightName, shape.hidden());
    }







    private String scriptBias() {
        float[] bias = new float[positionRows() * shape.vocab()];
        for (Map.Entry<Integer, Integer> e : options.scriptedTokens().entrySet()) {
            bias[(e.getKey() + arch.positionStart()) * shape.vocab() + e.getValue()] = ModelOptions.SCRIPT_BIAS;
        }
        return g.floats("script.bias", new long[]{positionRows(), shape.vocab()}, bias);
    }
}
