package io.llmcp.tooling.testmodel;

/**
 * Weight formats of the test models, named and laid out as the onnx-community exports name theirs
 * ({@code onnx/model.onnx}, {@code onnx/model_fp16.onnx}, {@code onnx/model_q4.onnx}).
 * <ul>
 *   <li>{@code FP32}: float32 weights, cache and logits.
 *   <li>{@code FP16}: float16 weights, cache and logits (the weights are cast up once for the float32 math).
 *   <li>{@code Q4}: every linear layer a {@code com.microsoft.MatMulNBits} with 4-bit weights in blocks of 32 and a
 *       float32 scale per block, symmetric (no zero points: 8 is implied), as onnxruntime's
 *       MatMul4BitsQuantizer writes them; embeddings stay float32.
 *   <li>{@code Q4_ZERO_POINTS}: as Q4, asymmetric, with a packed 4-bit zero point per block.
 *   <li>{@code Q4F16}: as Q4, but each MatMulNBits takes and returns float16 with float16 scales, and the cache and
 *       logits are float16 (the layout of the q4f16 exports; norms and softmax stay float32 here).
 * </ul>
 */
public enum Dtype {
    FP32("onnx/model.onnx", "fp32"),
    FP16("onnx/model_fp16.onnx", "fp16"),
    Q4("onnx/model_q4.onnx", "q4"),
    Q4_ZERO_POINTS("onnx/model_q4.onnx", "q4zp"),
    /** As Q4 with float16 scales, activations into and out of each MatMulNBits, cache and logits. */
    Q4F16("onnx/model_q4f16.onnx", "q4f16");

    public final String modelFile;
    public final String id;

    Dtype(String modelFile, String id) {
        this.modelFile = modelFile;
        this.id = id;
    }

    boolean quantized() {
        return this == Q4 || this == Q4_ZERO_POINTS || this == Q4F16;
    }

    public static Dtype parse(String s) {
        for (Dtype d : values()) if (d.id.equalsIgnoreCase(s) || d.name().equalsIgnoreCase(s)) return d;
        throw new IllegalArgumentException("unknown dtype " + s);
    }
}
