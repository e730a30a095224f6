package io.llmcp.tooling.bench;

/**
 * Incompressible bytes that are a pure function of (seed, position), so a benchmark or a resumed test ingest can
 * regenerate any range without keeping the data: each 8-byte word is SplitMix64 of its index.
 */
public final class SyntheticData {
    private SyntheticData() {
    }

    /** Fills {@code buf[off, off+len)} with the bytes at {@code position} of the stream named by {@code seed}. */
    public static void fill(long seed, long position, byte[] buf, int off, int len) {
        int i = 0;
        while (i < len) {
            long pos = position + i;
            long word = mix(seed ^ (pos >>> 3) * 0x9E3779B97F4A7C15L);
            int shift = (int) (pos & 7);
            int n = Math.min(8 - shift, len - i);
            for (int k = 0; k < n; k++) buf[off + i + k] = (byte) (word >>> ((shift + k) * 8));
            i += n;
        }
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
