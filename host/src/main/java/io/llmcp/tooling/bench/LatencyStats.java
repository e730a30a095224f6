package io.llmcp.tooling.bench;

import java.util.Arrays;

/** Round-trip latencies of one run: throughput and percentiles. */
public record LatencyStats(int count, double seconds, double p50Micros, double p99Micros) {

    public static LatencyStats of(long[] nanos, long totalNanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, totalNanos / 1e9, percentile(sorted, 0.50) / 1e3, percentile(sorted, 0.99) / 1e3);
    }

    private static double percentile(long[] sorted, double q) {
        int idx = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    public double perSecond() {
        return count / seconds;
    }
}
