package io.llmcp.tooling.testmodel;

/**
 * A [K, N] float matrix quantized to 4 bits the way {@code com.microsoft.MatMulNBits} reads it: for each output
 * column n and each block of {@code block} rows, one scale and (asymmetric only) one zero point; the packed
 * weights are [N, blocks, block/2] bytes, two values per byte, the first in the low nibble. Zero points are
 * packed the same way, [N, ceil(blocks/2)]. Symmetric blocks use zero point 8 (the operator's default when the
 * input is absent) and scale max|w|/8, asymmetric ones (max-min)/15.
 */
record Q4Weights(byte[] packed, float[] scales, byte[] zeroPoints, int blocks) {
    static Q4Weights quantize(float[] w, int k, int n, int block, boolean withZeroPoints) {
        int blocks = (k + block - 1) / block;
        byte[] packed = new byte[n * blocks * block / 2];
        float[] scales = new float[n * blocks];
        int zpBytesPerColumn = (blocks + 1) / 2;
        byte[] zps = withZeroPoints ? new byte[n * zpBytesPerColumn] : null;
        for (int col = 0; col < n; col++) {
            for (int b = 0; b < blocks; b++) {
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                float absMax = 0;
                for (int i = 0; i < block; i++) {
                    int row = b * block + i;
                    float v = row < k ? w[row * n + col] : 0f;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    absMax = Math.max(absMax, Math.abs(v));
                }
                float scale;
                int zp;
                if (withZeroPoints) {
                    min = Math.min(min, 0f);
                    max = Math.max(max, 0f);
                    scale = (max - min) / 15f;
                    if (scale == 0f) scale = 1f;
                    zp = Math.max(0, Math.min(15, Math.round(-min / scale)));
                } else {
                    scale = absMax / 8f;
                    if (scale == 0f) scale = 1f;
                    zp = 8;
                }
                scales[col * blocks + b] = scale;
                if (zps != null) {
                    int idx = col * zpBytesPerColumn + b / 2;
                    zps[idx] = (byte) (b % 2 == 0 ? (zps[idx] & 0xF0) | zp : (zps[idx] & 0x0F) | (zp << 4));
                }
                for (int i = 0; i < block; i++) {
                    int row = b * block + i;
                    float v = row < k ? w[row * n + col] : 0f;
                    int q = Math.max(0, Math.min(15, Math.round(v / scale) + zp));
                    int idx = (col * blocks + b) * (block / 2) + i / 2;
                    packed[idx] = (byte) (i % 2 == 0 ? (packed[idx] & 0xF0) | q : (packed[idx] & 0x0F) | (q << 4));
                }
            }
        }
        return new Q4Weights(packed, scales, zps, blocks);
    }
}
