package io.llmcp.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a one-layer ONNX model {@code Y = X · W + B} (X: [batch, k], W: [k, n], B: [n], float32) whose
 * weights sit in external-data files — one part ({@code model.onnx_data}) or two ({@code W} in
 * {@code model.onnx_data}, {@code B} in {@code model.onnx_data_1}) — or inline. Weights are a deterministic
 * function of their position, so a test can compute the expected output. Used by tests and by
 * {@code llmcp bench load} to make a model of any size without a download.
 */
public final class MatMulModelWriter {
    private static final int FLOAT = 1, EXTERNAL = 1, ALIGN = 4096;

    private MatMulModelWriter() {
    }

    /** W[r][c]: small exact binary fractions, so float sums are reproducible. */
    public static float weight(int r, int c) {
        return (((r * 31 + c * 17) % 13) - 6) / 8f;
    }

    public static float bias(int c) {
        return (c % 5) - 2;
    }

    /**
     * @param parts 0 = weights inline in model.onnx, 1 = one external file, 2 = W and B in two files
     * @return bytes written in total
     */
    public static long write(Path dir, int k, int n, int parts) throws IOException {
        Files.createDirectories(dir);
        long wBytes = 4L * k * n;
        ProtoWriter w = tensorHeader("W", k, n);
        ProtoWriter b = tensorHeader("B", n);
        long total = 0;
        if (parts == 0) {
            w.bytes(9, floats(k, n, true).array());
            b.bytes(9, floats(1, n, false).array());
        } else {
            String wFile = "model.onnx_data";
            String bFile = parts >= 2 ? "model.onnx_data_1" : wFile;
            long bOffset = parts >= 2 ? 0 : (wBytes + ALIGN - 1) / ALIGN * ALIGN;
            external(w, wFile, 0, wBytes);
            external(b, bFile, bOffset, 4L * n);
            total += writeWeights(dir.resolve(wFile), k, n);
            // Two parts: a fresh file. One part: B goes after W (aligned) in the file just written.
            try (FileChannel ch = parts >= 2
                    ? FileChannel.open(dir.resolve(bFile), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(dir.resolve(bFile), StandardOpenOption.WRITE)) {
                ByteBuffer bias = floats(1, n, false);
                ch.write(bias, bOffset);
                total += 4L * n;
            }
        }
        byte[] bytes = modelProto(k, n, w, b);
        Files.write(dir.resolve("model.onnx"), bytes);
        return total + bytes.length;
    }

    /** The model file's bytes for W and B stored externally at the given places (the data itself is not written). */
    static byte[] externalModelProto(int k, int n, String wFile, long wOffset, String bFile, long bOffset) {
        ProtoWriter w = tensorHeader("W", k, n);
        ProtoWriter b = tensorHeader("B", n);
        external(w, wFile, wOffset, 4L * k * n);
        external(b, bFile, bOffset, 4L * n);
        return modelProto(k, n, w, b);
    }

    private static byte[] modelProto(int k, int n, ProtoWriter w, ProtoWriter b) {
        ProtoWriter graph = new ProtoWriter()
                .message(1, node("MatMul", "X", "W", "XW"))
                .message(1, node("Add", "XW", "B", "Y"))
                .string(2, "matmul")
                .message(5, w)
                .message(5, b)
                .message(11, valueInfo("X", k))
                .message(12, valueInfo("Y", n));
        ProtoWriter model = new ProtoWriter()
                .varint(1, 8)                        // ir_version
                .string(2, "llmcp")                  // producer_name
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 17)); // opset_import: ai.onnx 17
        return model.toByteArray();
    }

    private static ProtoWriter tensorHeader(String name, long... dims) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) t.varint(1, d);
        return t.varint(2, FLOAT).string(8, name);
    }

    private static void external(ProtoWriter t, String file, long offset, long length) {
        t.message(13, new ProtoWriter().string(1, "location").string(2, file));
        t.message(13, new ProtoWriter().string(1, "offset").string(2, Long.toString(offset)));
        t.message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(length)));
        t.varint(14, EXTERNAL);
    }

    private static ProtoWriter node(String op, String a, String b, String out) {
        return new ProtoWriter().string(1, a).string(1, b).string(2, out).string(3, op + "_" + out).string(4, op);
    }

    private static ProtoWriter valueInfo(String name, int width) {
        ProtoWriter shape = new ProtoWriter()
                .message(1, new ProtoWriter().string(2, "batch"))
                .message(1, new ProtoWriter().varint(1, width));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static ByteBuffer floats(int rows, int cols, boolean weights) {
        ByteBuffer buf = ByteBuffer.allocate(4 * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) buf.putFloat(weights ? weight(r, c) : bias(c));
        }
        return buf.flip();
    }

    /** Streams W row by row so a multi-GB model never needs a multi-GB buffer. */
    private static long writeWeights(Path file, int k, int n) throws IOException {
        ByteBuffer row = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int r = 0; r < k; r++) {
                row.clear();
                for (int c = 0; c < n; c++) row.putFloat(weight(r, c));
                row.flip();
                while (row.hasRemaining()) ch.write(row);
            }
        }
        return 4L * k * n;
    }
}
