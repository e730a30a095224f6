package io.llmcp.tooling.testmodel;

import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT;
import static io.llmcp.tooling.testmodel.OnnxGraph.FLOAT16;
import static io.llmcp.tooling.testmodel.OnnxGraph.attr;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * The decoder's building blocks that own weights: projections (float32, float16 or 4-bit {@code MatMulNBits}),
 * norms, biases, and the activations between them. Every weight is deterministic noise seeded by the shape's seed
 * and the tensor's name, so the same options always write the same bytes; {@link DecoderGraphBuilder} wires them
 * in the order the data flows.
 */
final class WeightOps {
    private static final float RMS_EPS = 1e-5f;
    static final int Q4_BLOCK = 32;

    private final OnnxGraph g;
    private final LlamaShape shape;
    private final Architecture arch;
    private final Dtype dtype;

    WeightOps(OnnxGraph g, LlamaShape shape, Architecture arch, Dtype dtype) {
        this.g = g;
        this.shape = shape;
        this.arch = arch;
        this.dtype = dtype;
    }

    /** GeLU, tanh approximation (gelu_pytorch_tanh, gelu_new): 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    String gelu(String x) {
        String cube = g.op("Mul", x, g.op("Mul", x, x));
        String inner = g.op("Mul", g.op("Add", x, g.op("Mul", cube, g.scalar(0.044715f))),
                g.scalar((float) Math.sqrt(2 / Math.PI)));
        String t = g.op("Add", g.op("Tanh", inner), g.scalar(1f));
        return g.op("Mul", g.op("Mul", x, t), g.scalar(0.5f));
    }
    /** cap * tanh(x / cap) */
    String softcap(String x, float cap) {
        return g.op("Mul", g.op("Tanh", g.op("Div", x, g.scalar(cap))), g.scalar(cap));
    }
    /** RMSNorm over the last axis; Gemma's weight is stored as an offset from 1 (scale = 1 + w). */
    String norm(String x, String weightName, int size) {
        String meanSquare = g.op("ReduceMean", g.op("Mul", x, x), attr("axes", new long[]{-1}), attr("keepdims", 1L));
        String rms = g.op("Sqrt", g.op("Add", meanSquare, g.scalar(arch.gemma() ? 1e-6f : RMS_EPS)));
        float[] w = new float[size];
        DoubleSupplier noise = uniform(weightName, 0.1);
        for (int i = 0; i < size; i++) w[i] = (float) noise.getAsDouble() + (arch.gemma() ? 0f : 1f);
        String weight = g.floats(weightName, new long[]{size}, w);
        if (arch.gemma()) weight = g.op("Add", weight, g.scalar(1f));
        return g.op("Mul", g.op("Div", x, rms), weight);
    }
    String layerNorm(String x, String prefix) {
        int d = shape.hidden();
        float[] w = new float[d];
        DoubleSupplier noise = uniform(prefix + ".weight", 0.1);
        for (int i = 0; i < d; i++) w[i] = 1f + (float) noise.getAsDouble();
        return g.op("LayerNormalization", new String[]{x, g.floats(prefix + ".weight", new long[]{d}, w), bias(prefix + ".bias", d)},
                attr("axis", -1L), attr("epsilon", 1e-5f));
    }
    String bias(String name, int size) {
        float[] b = new float[size];
        DoubleSupplier noise = uniform(name, 0.05);
        for (int i = 0; i < size; i++) b[i] = (float) noise.getAsDouble();
        return g.floats(name, new long[]{size}, b);
    }
    /**
     * x · W for a [in, out] weight with std 1/sqrt(in), so activations stay O(1): a MatMul, or with 4-bit weights
     * a MatMulNBits over W quantized per column in blocks of {@link #Q4_BLOCK} along {@code in}.
     */
    String matmul(String x, String name, int in, int out) {
        if (!dtype.quantized()) return g.op("MatMul", x, weights(name, 1.0 / Math.sqrt(in), in, out));
        float[] w = new float[in * out];
        DoubleSupplier values = uniform(name, 1.0 / Math.sqrt(in));
        for (int i = 0; i < w.length; i++) w[i] = (float) values.getAsDouble();
        Q4Weights q = Q4Weights.quantize(w, in, out, Q4_BLOCK, dtype == Dtype.Q4_ZERO_POINTS);
        String b = g.uint8(name + "_Q4", new long[]{out, q.blocks(), Q4_BLOCK / 2}, q.packed());
        boolean half = dtype == Dtype.Q4F16;
        long[] scaleDims = {(long) out * q.blocks()};
        String scales = half ? g.halfs(name + "_scales", scaleDims, q.scales()) : g.floats(name + "_scales", scaleDims, q.scales());
        String a = half ? g.op("Cast", x, attr("to", (long) FLOAT16)) : x;
        String[] inputs = q.zeroPoints() == null ? new String[]{a, b, scales}
                : new String[]{a, b, scales, g.uint8(name + "_zp", new long[]{q.zeroPoints().length}, q.zeroPoints())};
        String y = g.msOp("MatMulNBits", inputs, attr("K", (long) in), attr("N", (long) out), attr("bits", 4L),
                attr("block_size", (long) Q4_BLOCK));
        return half ? g.op("Cast", y, attr("to", (long) FLOAT)) : y;
    }
    String weights(String name, double std, long rows, long cols) {
        if (dtype == Dtype.FP16 && rows * cols <= (1 << 24)) {
            DoubleSupplier values = uniform(name, std);
            float[] v = new float[(int) (rows * cols)];
            for (int i = 0; i < v.length; i++) v[i] = (float) values.getAsDouble();
            return g.op("Cast", g.halfs(name, new long[]{rows, cols}, v), attr("to", (long) FLOAT));
        }
        return g.generatedFloats(name, new long[]{rows, cols}, uniform(name, std));
    }
    /** Uniform noise with the given std, seeded by the shape's seed and the tensor name: same seed, same bytes. */
    DoubleSupplier uniform(String name, double std) {
        long nameHash = 1125899906842597L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) nameHash = 31 * nameHash + b;
        SplittableRandom random = new SplittableRandom(shape.seed() * 0x9E3779B97F4A7C15L ^ nameHash);
        double a = std * Math.sqrt(3.0);
        return () -> random.nextDouble(-a, a);
    }
}
